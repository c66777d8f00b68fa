import type { AgentSpec } from '../agent-spec';
import { totalTokens, type Usage } from '../model/messages';
import type { RunFailure } from '../run-outcome';
import { costOf } from './price-table';

/** Estimated cost of `usage` at the main model's price, or undefined when the price is unknown. */
export function runCost(spec: AgentSpec, usage: Usage): number | undefined {
	return spec.price ? costOf(usage, spec.price) : undefined;
}

/** The largest share (0–1+) of any budget that `usage` has spent; 0 without budgets. */
export function budgetShare(spec: AgentSpec, usage: Usage): number {
	const shares = [0];
	if (spec.limits.maxTotalTokens !== undefined) shares.push(totalTokens(usage) / spec.limits.maxTotalTokens);
	const cost = runCost(spec, usage);
	if (spec.limits.maxCostUsd !== undefined && cost !== undefined) shares.push(cost / spec.limits.maxCostUsd);
	return Math.max(...shares);
}

/** The failure of a hard budget that `usage` has spent, if any. */
export function budgetFailure(spec: AgentSpec, usage: Usage): RunFailure | undefined {
	const tokenBudget = spec.limits.maxTotalTokens;
	if (tokenBudget !== undefined && totalTokens(usage) >= tokenBudget) {
		return {
			code: 'token_budget',
			message: `The run spent ${totalTokens(usage)} tokens, over its budget of ${tokenBudget}. Raise 'Token Budget' or make the task smaller.`,
		};
	}
	const costBudget = spec.limits.maxCostUsd;
	const cost = runCost(spec, usage);
	if (costBudget !== undefined && cost !== undefined && cost >= costBudget) {
		return {
			code: 'cost_budget',
			message: `The run spent an estimated $${cost.toFixed(4)}, over its budget of $${costBudget}. Raise 'Cost Budget (USD)' or make the task smaller.`,
		};
	}
	return undefined;
}

/** True when this turn took the run across the soft budget: the model is then asked, once, to wrap up. */
export function crossedSoftBudget(spec: AgentSpec, before: Usage, after: Usage): boolean {
	const fraction = spec.limits.softBudgetFraction;
	if (fraction === undefined) return false;
	return budgetShare(spec, before) < fraction && budgetShare(spec, after) >= fraction;
}

export const wrapUpRequest =
	'Budget notice: this run has used most of its budget. Stop exploring, make no further tool calls unless essential, and give your final answer now.';
