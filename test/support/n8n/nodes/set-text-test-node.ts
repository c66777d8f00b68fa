import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

/**
 * Adds a `text` field to each item from a parameter (usually an expression such as
 * `={{ 'About ' + $json.topic }}`), failing items whose text comes out empty: a minimal regular
 * node that shows expressions, `pairedItem` and `continueOnFail` at work.
 */
export class SetTextTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Set Text (test)',
		name: 'setTextTest',
		group: ['transform'],
		version: 1,
		description: 'Sets json.text from a parameter',
		defaults: { name: 'Set Text' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const text = this.getNodeParameter('text', itemIndex) as string;
				if (text === '') {
					throw new NodeOperationError(this.getNode(), 'The text came out empty', { itemIndex });
				}
				output.push({ json: { ...items[itemIndex].json, text }, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
