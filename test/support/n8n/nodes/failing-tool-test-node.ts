import { ToolMessage } from '@langchain/core/messages';
import { DynamicStructuredTool } from '@langchain/core/tools';
import type { IDataObject, INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

/** How the tool fails; each is how one of n8n's own tool sub-nodes reports a failed call. */
export type ToolFailure = 'throw' | 'mcp-is-error' | 'tool-message-error';

/**
 * A weather tool sub-node whose calls fail the way n8n's own tool nodes report failures, with the
 * bookkeeping n8n's `logWrapper` and `callMethodAsync` do around every call (packages/@n8n/
 * nodes-langchain/utils/logWrapper.ts, helpers.ts):
 * - `throw`: the tool throws; the wrapper records the error on the call's run and rethrows.
 * - `mcp-is-error`: MCP Client Tool when the server answers `isError` (McpClientTool/utils.ts
 *   `createCallTool`): the error text is returned as the result, and the node records a
 *   NodeOperationError with `addOutputData(ai_tool, itemIndex, error)`; the wrapper then records
 *   the returned text as the call's output.
 * - `tool-message-error`: the tool returns a LangChain ToolMessage with status `error`.
 */
export class FailingToolTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Failing Weather Tool (test)',
		name: 'failingToolTest',
		group: ['transform'],
		version: 1,
		description: 'A weather tool whose calls fail as n8n tool nodes report failures',
		defaults: { name: 'Failing Weather Tool' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		outputNames: ['Tool'],
		properties: [
			{
				displayName: 'Failure',
				name: 'failure',
				type: 'options',
				options: [
					{ name: 'Throw', value: 'throw' },
					{ name: 'MCP isError Result', value: 'mcp-is-error' },
					{ name: 'ToolMessage With Status Error', value: 'tool-message-error' },
				],
				default: 'throw',
			},
		],
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const failure = this.getNodeParameter('failure', itemIndex) as ToolFailure;
		const node = this.getNode();
		const message = 'Weather unknown at location';
		const call = async (): Promise<unknown> => {
			if (failure === 'throw') throw new Error(message);
			if (failure === 'tool-message-error') return new ToolMessage({ content: message, tool_call_id: 'weather-call', status: 'error' });
			void this.addOutputData(NodeConnectionTypes.AiTool, itemIndex, new NodeOperationError(node, message, { itemIndex }));
			return message;
		};
		const tool = new DynamicStructuredTool({
			name: 'get_weather',
			description: 'Returns the current weather in a city',
			schema: z.object({ city: z.string().describe('The city to look up') }),
			func: async (input: { city: string }) => {
				const { index } = this.addInputData(NodeConnectionTypes.AiTool, [[{ json: { query: input } }]]);
				let response: unknown;
				try {
					response = await call();
				} catch (error) {
					const nodeError = new NodeOperationError(node, error as Error);
					this.addOutputData(NodeConnectionTypes.AiTool, index, nodeError);
					throw nodeError;
				}
				this.addOutputData(NodeConnectionTypes.AiTool, index, [[{ json: { response: response as IDataObject } }]]);
				return response as string;
			},
		});
		return { response: tool };
	}
}
