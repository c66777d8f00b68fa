import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * A regular node in its tool form, the way n8n offers HTTP Request, Slack and most other nodes as
 * tools: no `supplyData`, an `ai_tool` output, and parameters the model fills through `$fromAI()`.
 * n8n-core itself wraps it into a LangChain tool whose schema comes from those `$fromAI()` calls.
 */
export class GreetingToolTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Greeting Tool (test)',
		name: 'greetingToolTest',
		group: ['transform'],
		version: 1,
		description: 'Greets someone by name',
		defaults: { name: 'Greeting Tool' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		outputNames: ['Tool'],
		properties: [
			{ displayName: 'Description', name: 'toolDescription', type: 'string', default: 'Greets someone by name' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_item, itemIndex) => ({
				json: { greeting: `Hello ${this.getNodeParameter('name', itemIndex) as string}` },
			})),
		];
	}
}
