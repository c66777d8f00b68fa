import type { BudgetSpending } from '../../lib/resume';
import { html, type SafeHtml } from './html';

type Field = (kind: 'decision' | 'reason') => string;

/**
 * A budget pause on the approval page: what the run spent against each budget it has, and what each
 * choice does. Approve or reject only: the entry is not a tool call, so there is nothing to edit or answer.
 */
export function renderBudgetEntry(spending: BudgetSpending, field: Field): SafeHtml {
	const allowedNow = (budget: number) => budget * (1 + spending.approvals);
	const allowedAfterApproval = (budget: number) => budget * (2 + spending.approvals);
	const tokens = (count: number) => `${count.toLocaleString('en-US')} tokens`;
	const dollars = (amount: number) => `$${amount.toFixed(4)}`;
	const earlier = spending.approvals === 0 ? '' : ` (the budget, plus ${spending.approvals} earlier ${spending.approvals === 1 ? 'approval' : 'approvals'})`;
	const rows: SafeHtml[] = [];
	if (spending.tokenBudget !== undefined) {
		rows.push(html`<li>Tokens: <strong>${tokens(spending.spentTokens)}</strong> spent of ${tokens(allowedNow(spending.tokenBudget))} allowed${earlier}; Token Budget ${tokens(spending.tokenBudget)}</li>`);
	} else {
		rows.push(html`<li>Tokens: <strong>${tokens(spending.spentTokens)}</strong> spent (no Token Budget)</li>`);
	}
	if (spending.costBudgetUsd !== undefined) {
		const spent = spending.spentCostUsd === undefined ? 'an unknown amount' : dollars(spending.spentCostUsd);
		rows.push(html`<li>Estimated cost: <strong>${spent}</strong> spent of ${dollars(allowedNow(spending.costBudgetUsd))} allowed${earlier}; Cost Budget ${dollars(spending.costBudgetUsd)}</li>`);
	} else if (spending.spentCostUsd !== undefined) {
		rows.push(html`<li>Estimated cost: <strong>${dollars(spending.spentCostUsd)}</strong> spent (no Cost Budget)</li>`);
	}
	const raised = [
		...(spending.tokenBudget === undefined ? [] : [tokens(allowedAfterApproval(spending.tokenBudget))]),
		...(spending.costBudgetUsd === undefined ? [] : [dollars(allowedAfterApproval(spending.costBudgetUsd))]),
	].join(' and ');
	return html`<div class="call">
<h3>Budget reached</h3>
<p>The run reached its ${spending.exceeded === 'token_budget' ? 'Token Budget' : 'Cost Budget'} before it could go on.</p>
<ul>${rows}</ul>
<p>Approve: the run may spend as much again (up to ${raised} in total) and continues where it stopped. Reject: the run ends, failed with the code <code>${spending.exceeded}</code>.</p>
<div>
<label class="choice"><input type="radio" name="${field('decision')}" value="approve"> Approve: allow as much again</label>
<label class="choice"><input type="radio" name="${field('decision')}" value="reject"> Reject: end the run</label>
</div>
<label>Reason for rejecting (kept in the run's error message)<input type="text" name="${field('reason')}" maxlength="10000"></label>
</div>`;
}
