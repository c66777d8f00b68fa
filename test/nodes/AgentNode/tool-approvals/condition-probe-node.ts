import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { parseToolInput } from '../../../../lib/engine/model/parse-tool-input';
import { gateOf, type Gate } from '../../../../lib/engine/tools/approval-gate';
import type { Tool } from '../../../../lib/engine/tools/tool';
import { validateToolInput } from '../../../../lib/engine/tools/validate-tool-input';
import { conditionPolicy } from '../../../../nodes/AgentNode/tool-approvals/approval-condition';

/** What one model call became: refused as invalid input, or validated and then run or held. */
export type ProbedCall = { argumentText: string } & ({ refused: string } | { input: unknown; gate: Gate });

/** One condition and the argument texts a model sends against it. */
export type Probe = { condition: string; argumentTexts: readonly string[] };

export const probeRequests: { probes: Probe[]; results: ProbedCall[][]; compileErrors: string[]; expressionTexts: Set<string> } = {
	probes: [],
	results: [],
	compileErrors: [],
	/** Every distinct expression text n8n was asked to evaluate: n8n compiles and keeps one function per text. */
	expressionTexts: new Set(),
};

export const payTool: Tool = {
	name: 'pay',
	description: 'Pays an amount',
	inputSchema: {
		type: 'object',
		properties: { amount: { type: 'number' }, to: { type: 'string' }, note: { type: 'string' } },
		required: ['amount'],
	},
	concurrencySafe: false,
	execute: async () => 'paid',
};

/**
 * Runs each probe's argument texts through exactly what the agent does with a model's tool call —
 * parse, validate, then the Tool Approvals gate — with the condition compiled by n8n's real
 * expression engine in the node's execute context (so `$json` is the item's).
 */
export class ConditionProbeTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Condition Probe (test)',
		name: 'conditionProbeTest',
		group: ['transform'],
		version: 1,
		description: 'Gates tool calls with Tool Approvals conditions',
		defaults: { name: 'Condition Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		probeRequests.results = [];
		probeRequests.compileErrors = [];
		probeRequests.expressionTexts = new Set();
		const evaluateExpression = this.evaluateExpression;
		this.evaluateExpression = function (this: IExecuteFunctions, expression: string, itemIndex: number) {
			probeRequests.expressionTexts.add(expression);
			return evaluateExpression.call(this, expression, itemIndex);
		};
		for (const probe of probeRequests.probes) {
			let policy;
			try {
				policy = conditionPolicy(this, 0, payTool.name, probe.condition);
			} catch (error) {
				probeRequests.compileErrors.push((error as Error).message);
				probeRequests.results.push([]);
				continue;
			}
			const tool: Tool = { ...payTool, approval: policy };
			const calls: ProbedCall[] = [];
			for (const argumentText of probe.argumentTexts) {
				const validated = validateToolInput(tool, parseToolInput(argumentText));
				calls.push(validated.ok ? { argumentText, input: validated.input, gate: await gateOf(tool, validated.input) } : { argumentText, refused: validated.message });
			}
			probeRequests.results.push(calls);
		}
		return [[{ json: {}, pairedItem: { item: 0 } }]];
	}
}
