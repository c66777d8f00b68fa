import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * The workflow's entry point in tests: it has no inputs and passes on the items the runner seeds it
 * with, the way n8n starts a webhook execution with the request already turned into items.
 */
export class StartTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start (test)',
		name: 'startTest',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items the test runner starts the workflow with',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
