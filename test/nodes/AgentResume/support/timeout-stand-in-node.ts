import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { parameterProperties as agentParameters } from '../../../../nodes/AgentNode/parameters';
import { storeFromParameters } from '../../../../nodes/AgentNode/store-from-parameters';
import { decisionField, settleTimedOutItem, type PausedItemJson } from '../../../../lib/resume';
import { timeoutPolicyOfSource } from '../../../../nodes/shared/timeout-policy';

/**
 * Stands in for the Durable AI Agent's input side after a Resume node: items that come back still
 * paused (the wait's time limit passed) are settled with the Resume node's "On Timeout" policy.
 * Decision items pass through. It has the agent's storage parameters.
 */
export class TimeoutStandInNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Agent input (test)',
		name: 'agentInputTest',
		group: ['transform'],
		version: 1,
		description: 'Settles timed-out paused items as the agent does',
		defaults: { name: 'Agent input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: agentParameters.filter((parameter) => parameter.name === 'storage' || parameter.name === 'options'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const storage = await storeFromParameters(this);
		const policy = timeoutPolicyOfSource(this);
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			if (item.json.status !== 'paused') {
				output.push({ json: item.json, pairedItem: { item: itemIndex } });
				continue;
			}
			if (policy === undefined) throw new NodeOperationError(this.getNode(), 'A paused item arrived, but not from a Durable AI Agent Resume node', { itemIndex });
			const settled = await settleTimedOutItem(storage, item.json as unknown as PausedItemJson, policy, new Date());
			if (!settled.ok) throw new NodeOperationError(this.getNode(), settled.message, { itemIndex });
			output.push({ json: { [decisionField]: settled.payload }, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}
