import { DynamicStructuredTool } from '@langchain/core/tools';
import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { z } from 'zod';

/** Every payment any `PaymentToolTestNode` tool made, in call order; tests empty it before they run. */
export const recordedPayments: unknown[] = [];

/**
 * A side-effecting tool sub-node built like n8n's own (a LangChain `DynamicStructuredTool`): `pay`
 * takes an amount, an optional recipient and an optional note, and records every payment it makes.
 */
export class PaymentToolTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Tool (test)',
		name: 'paymentTool',
		group: ['transform'],
		version: 1,
		description: 'Pays an amount and records it',
		defaults: { name: 'Pay' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		outputNames: ['Tool'],
		properties: [],
	};

	async supplyData(this: ISupplyDataFunctions): Promise<SupplyData> {
		const tool = new DynamicStructuredTool({
			name: 'pay',
			description: 'Pays an amount to a recipient',
			schema: z.object({ amount: z.number(), to: z.string().optional(), note: z.string().optional() }),
			func: async (input: unknown) => {
				recordedPayments.push(input);
				return 'paid';
			},
		});
		return { response: tool };
	}
}
