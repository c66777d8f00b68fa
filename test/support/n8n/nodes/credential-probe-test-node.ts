import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Outputs the `testApi` credential it reads through `this.getCredentials()`, once per item. */
export class CredentialProbeTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Probe (test)',
		name: 'credentialProbeTest',
		group: ['transform'],
		version: 1,
		description: 'Reads its credential',
		defaults: { name: 'Credential Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'testApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const credential = await this.getCredentials('testApi', itemIndex);
			output.push({ json: { apiKey: credential.apiKey as string }, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}
