import { DynamicStructuredTool } from '@langchain/core/tools';
import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { z } from 'zod';

/** One call a `TestToolNode` tool received, in call order. */
export type RecordedToolCall = { toolName: string; input: { city: string } };

/** Every call any `TestToolNode` tool received; tests empty it before they run (`length = 0`). */
export const recordedToolCalls: RecordedToolCall[] = [];

/**
 * A tool sub-node built like n8n's own (its `supplyData` returns a LangChain
 * `DynamicStructuredTool` with a zod v3 schema): a weather lookup that records its calls.
 */
export class TestToolNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Weather Tool (test)',
		name: 'testTool',
		group: ['transform'],
		version: 1,
		description: 'A weather lookup tool that records its calls',
		defaults: { name: 'Weather Tool' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		outputNames: ['Tool'],
		properties: [
			{ displayName: 'Tool Name', name: 'toolName', type: 'string', default: 'get_weather' },
			{ displayName: 'Weather', name: 'weather', type: 'string', default: 'sunny' },
		],
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const toolName = this.getNodeParameter('toolName', itemIndex) as string;
		const weather = this.getNodeParameter('weather', itemIndex) as string;
		const tool = new DynamicStructuredTool({
			name: toolName,
			description: 'Returns the current weather in a city',
			schema: z.object({ city: z.string().describe('The city to look up') }),
			func: async (input: { city: string }) => {
				recordedToolCalls.push({ toolName, input });
				return `${weather} in ${input.city}`;
			},
		});
		return { response: tool };
	}
}
