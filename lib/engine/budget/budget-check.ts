import type { AgentSpec } from '../agent-spec';
import { totalTokens, type Usage } from '../model/messages';
import type { RunFailure } from '../run-outcome';
import { costOf } from './price-table';

/** Estimated cost of `usage` at the main model's price, or undefined when the price is unknown. */
export function runCost(spec: AgentSpec, usage: Usage): number | undefined {
	return spec.price ? costOf(usage, spec.price) : undefined;
}

/** The largest share (0–1+) of any budget that `usage` has spent; 0 without budgets. */
export function budgetShare(spec: AgentSpec, usage: Usage, grants = 0): number {
	const shares = [0];
	const tokenBudget = grantedBudget(spec.limits.maxTotalTokens, grants);
	if (tokenBudget !== undefined) shares.push(totalTokens(usage) / tokenBudget);
	const costBudget = grantedBudget(spec.limits.maxCostUsd, grants);
	const cost = runCost(spec, usage);
	if (costBudget !== undefined && cost !== undefined) shares.push(cost / costBudget);
	return Math.max(...shares);
}

/** Each grant (a person approved spending more) allows the configured budget once more. */
const grantedBudget = (budget: number | undefined, grants: number) => (budget === undefined ? undefined : budget * (1 + grants));

/** The failure of a hard budget that `usage` has spent, if any. */
export function budgetFailure(spec: AgentSpec, usage: Usage, grants = 0): RunFailure | undefined {
	const tokenBudget = grantedBudget(spec.limits.maxTotalTokens, grants);
	if (tokenBudget !== undefined && totalTokens(usage) >= tokenBudget) {
		return {
			code: 'token_budget',
			message: `The run spent ${totalTokens(usage)} tokens, over its budget of ${tokenBudget}. Raise 'Token Budget' or make the task smaller.`,
		};
	}
	const costBudget = grantedBudget(spec.limits.maxCostUsd, grants);
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
export function crossedSoftBudget(spec: AgentSpec, before: Usage, after: Usage, grants = 0): boolean {
	const fraction = spec.limits.softBudgetFraction;
	if (fraction === undefined) return false;
	return budgetShare(spec, before, grants) < fraction && budgetShare(spec, after, grants) >= fraction;
}

export const wrapUpRequest =
	'Budget notice: this run has used most of its budget. Stop exploring, make no further tool calls unless essential, and give your final answer now.';
