import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * Puts the execution to wait, as n8n's Wait node does before its waiting webhook is called, and
 * outputs the execution's resume URL. `resumeWorkflow` plays the webhook call.
 */
export class WaitTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wait (test)',
		name: 'waitTest',
		group: ['transform'],
		version: 1,
		description: 'Waits until the execution is resumed',
		defaults: { name: 'Wait' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const oneHour = 60 * 60 * 1000;
		await this.putExecutionToWait(new Date(Date.now() + oneHour));
		const resumeUrl = this.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
		return [[{ json: { resumeUrl }, pairedItem: { item: 0 } }]];
	}
}
