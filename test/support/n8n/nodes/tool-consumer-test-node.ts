import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { toolsFromN8n } from '../../../../nodes/AgentNode/n8n-tools/from-n8n-tools';

/**
 * Stands in for the agent: takes its connected tools exactly as the agent does
 * (`getInputConnectionData` on `ai_tool`, then `toolsFromN8n`) and calls the first one per item
 * with the JSON object from its `toolInput` parameter.
 */
export class ToolConsumerTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tool Consumer (test)',
		name: 'toolConsumerTest',
		group: ['transform'],
		version: 1,
		description: 'Calls the first connected tool once per item',
		defaults: { name: 'Tool Consumer' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tool', required: true }],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Tool Input (JSON)', name: 'toolInput', type: 'string', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = toolsFromN8n(await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0));
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const toolInput = JSON.parse(this.getNodeParameter('toolInput', itemIndex) as string) as unknown;
			const result = await tools[0].execute(toolInput, {
				toolCallId: `call_${itemIndex}`,
				signal: this.getExecutionCancelSignal() ?? new AbortController().signal,
			});
			output.push({
				json: { toolNames: tools.map((tool) => tool.name), result: result as string },
				pairedItem: { item: itemIndex },
			});
		}
		return [output];
	}
}
