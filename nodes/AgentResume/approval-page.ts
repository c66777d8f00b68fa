import type { Decision } from '../../lib/engine/pause/decisions';
import type { DecisionPayload, PendingCallView, RunTimeline, WaitRecord } from '../../lib/resume';
import { renderBudgetEntry } from './budget-entry';
import { html, type SafeHtml } from './html';
import { htmlDocument } from './page-shell';
import { formField } from './request-body';
import type { WebhookFailure } from './responses';
import { renderTimeline } from './timeline-section';

/** Arguments longer than this (as pretty JSON) are shown up to here, with a note saying so. */
export const maxShownArgumentsLength = 5_000_000;
/** Arguments longer than this are not offered for editing on the page (the JSON API still takes edits). */
export const maxEditableArgumentsLength = 200_000;

type WaitItem = WaitRecord['items'][number];

/**
 * What else the page shows: each item's run so far (`timelines`, in wait order), and after a refused
 * form post the refusal and what the person had entered (`failure`, `values`: the posted form).
 */
export type PageExtras = { timelines?: ReadonlyArray<RunTimeline | undefined>; failure?: WebhookFailure; values?: Readonly<Record<string, unknown>> };

/**
 * The approval page: what the agent wants to do and why, and one form that decides every paused
 * item still open. Works without JavaScript; the form has no `action`, so it posts back to the exact
 * URL the page was opened with (n8n's signature and our token included). Opened with one item's
 * token (`tokenItem`), the form decides that item only, as the token allows (authorize.ts).
 */
export function renderApprovalPage(wait: WaitRecord, decisions: ReadonlyArray<DecisionPayload | undefined>, token: string | undefined, tokenItem?: number, extras: PageExtras = {}): string {
	return htmlDocument(`Approval needed: ${wait.workflowName || wait.workflowId}`, approvalPageBody(wait, decisions, token, tokenItem, extras));
}

/** The approval page without its document: also shown below the thank-you note when the run paused again. */
export function approvalPageBody(wait: WaitRecord, decisions: ReadonlyArray<DecisionPayload | undefined>, token: string | undefined, tokenItem?: number, extras: PageExtras = {}): SafeHtml {
	const decidable = (index: number) => decisions[index] === undefined && (tokenItem === undefined || tokenItem === index);
	const open = wait.items.filter((_item, index) => decidable(index)).length;
	const everyItemDecided = decisions.every((decision) => decision !== undefined);
	const onlyQuestions = wait.items.every((item) => item.pending.every((call) => call.kind === 'question'));
	const value = (name: string): string | undefined => (typeof extras.values?.[name] === 'string' ? (extras.values[name] as string) : undefined);
	const renderItems = () => wait.items.map((item, index) => renderItem(item, index, decisions[index], decidable(index), extras.timelines?.[index], value));
	const body = html`<h1>${onlyQuestions ? 'The agent has a question' : 'Approval needed'}</h1>
<p class="meta">Workflow <strong>${wait.workflowName || wait.workflowId}</strong> · node <strong>${wait.resumeNodeName}</strong> · execution ${wait.executionId}${
		wait.expiresAt ? html` · decide before <strong>${wait.expiresAt}</strong>` : ''
	}</p>
${extras.failure && renderFailure(extras.failure)}
${
	open === 0
		? html`<div class="notice"><p class="decided">${everyItemDecided ? 'Every paused item has a decision. The agent continues.' : 'This paused item has a decision. The others are decided through their own approval links.'}</p></div>${renderItems()}`
		: html`<form method="post">
<button type="submit" class="default-submit" tabindex="-1" aria-hidden="true">Send decisions</button>
${token !== undefined && html`<input type="hidden" name="${formField.token}" value="${token}">`}
${open > 1 || countCalls(wait, decidable) > 1 ? renderBatch(value) : ''}
${renderItems()}
<p><button type="submit">Send decisions</button></p>
<p class="note">A paused item is decided when every one of its calls has a decision; items you leave open stay open.</p>
</form>`
}`;
	return body;
}

type Value = (name: string) => string | undefined;

function countCalls(wait: WaitRecord, decidable: (index: number) => boolean): number {
	return wait.items.reduce((count, item, index) => count + (decidable(index) ? item.pending.filter((call) => call.kind !== 'question').length : 0), 0);
}

/** Decide every open call at once; a choice made on a call below overrides it. Questions still need their answers. */
function renderBatch(value: Value): SafeHtml {
	return html`<section class="item batch">
<h2>Decide everything at once</h2>
<p class="note">Applies to every call below that has no choice of its own; questions still need an answer.</p>
<label>Reason for rejecting all (the agent reads it)<input type="text" name="${formField.allReason}" maxlength="10000" value="${value(formField.allReason) ?? ''}"></label>
<p><button type="submit" name="${formField.all}" value="approve">Approve all</button> <button type="submit" name="${formField.all}" value="reject" class="secondary">Reject all</button></p>
</section>`;
}

function renderFailure(failure: WebhookFailure): SafeHtml {
	return html`<div class="notice error" role="alert">
<h2>Nothing was recorded: please check your decisions</h2>
<p>${failure.message}</p>
${failure.details ? html`<ul>${failure.details.map((detail) => html`<li>${detail}</li>`)}</ul>` : ''}
<p class="note">What you entered is kept below. Error code: ${failure.code}</p>
</div>`;
}

function renderItem(item: WaitItem, index: number, decided: DecisionPayload | undefined, decidable: boolean, timeline: RunTimeline | undefined, value: Value): SafeHtml {
	return html`<section class="item">
<h2>Paused item ${index + 1}: ${item.agentNodeName}</h2>
<p class="note">Run ${item.reference.runId}</p>
${item.pauseNumber !== undefined && item.pauseNumber > 1 && html`<p class="reason">This run paused again: this is its pause ${item.pauseNumber}. Earlier pauses and their decisions are in the run below.</p>`}
${timeline && renderTimeline(timeline, item.costUsd)}
${item.lastMessage.trim() === '' ? '' : html`<p>The agent said:</p><div class="last-message">${item.lastMessage}</div>`}
${decided ? renderDecided(item, decided) : decidable ? item.pending.map((call) => renderCall(call, index, value)) : html`<p class="note">Decided through its own approval link.</p>`}
</section>`;
}

function renderDecided(item: WaitItem, decided: DecisionPayload): SafeHtml {
	const names = new Map(item.pending.map((call) => [call.toolCallId, call.toolName]));
	return html`<p class="decided">Decided at ${decided.decidedAt}:</p>
<ul>${decided.decisions.map((decision) => html`<li><strong>${names.get(decision.toolCallId) ?? decision.toolCallId}</strong>: ${describeDecision(decision)}</li>`)}</ul>`;
}

function describeDecision(decision: Decision): string {
	if (decision.decision === 'approve') return decision.arguments ? 'approved with edited arguments' : 'approved';
	if (decision.decision === 'reject') return decision.reason ? `rejected: ${decision.reason}` : 'rejected';
	return `answered: ${decision.answer}`;
}

function renderCall(call: PendingCallView, itemIndex: number, value: Value): SafeHtml {
	const field = (kind: Parameters<typeof formField.of>[0]) => formField.of(kind, itemIndex, call.toolCallId);
	const checked = (choice: string) => (value(field('decision')) === choice ? html` checked` : '');
	if (call.kind === 'budget') return renderBudgetEntry(call.spending, field);
	const argumentsJson = JSON.stringify(call.arguments, null, 2) ?? 'null';
	if (call.kind === 'question') {
		const question = (call.arguments as { question?: unknown } | null)?.question;
		return html`<div class="call">
<h3>Question: ${typeof question === 'string' ? question : call.toolName}</h3>
${typeof question === 'string' ? '' : renderArguments(argumentsJson)}
<label>Your answer<textarea name="${field('answer')}" rows="4">${value(field('answer')) ?? ''}</textarea></label>
<p class="note">Leave the answer empty to decide later.</p>
</div>`;
	}
	return html`<div class="call">
<h3>${call.toolName}</h3>
<p class="note">Call ${call.toolCallId}</p>
${call.reason !== undefined && html`<p class="reason">Held because: ${call.reason}</p>`}
${renderArguments(argumentsJson)}
<p class="one-click"><button type="submit" name="${field('click')}" value="approve">Approve</button> <button type="submit" name="${field('click')}" value="reject" class="secondary">Reject</button></p>
<div>
<label class="choice"><input type="radio" name="${field('decision')}" value="approve"${checked('approve')}> Approve</label>
<label class="choice"><input type="radio" name="${field('decision')}" value="edit"${checked('edit')}> Approve with the edited arguments below</label>
<label class="choice"><input type="radio" name="${field('decision')}" value="reject"${checked('reject')}> Reject</label>
</div>
<label>Reason for rejecting (the agent reads it)<input type="text" name="${field('reason')}" maxlength="10000" value="${value(field('reason')) ?? ''}"></label>
${
	argumentsJson.length <= maxEditableArgumentsLength
		? html`<label>Edited arguments (JSON, checked against the tool's input schema)<textarea name="${field('arguments')}" rows="6">${value(field('arguments')) ?? argumentsJson}</textarea></label>`
		: html`<p class="note">These arguments are too large to edit here (${argumentsJson.length} characters). Approve or reject them, or send edited arguments through the JSON API.</p>`
}
</div>`;
}

function renderArguments(argumentsJson: string): SafeHtml {
	if (argumentsJson.length <= maxShownArgumentsLength) return html`<pre>${argumentsJson}</pre>`;
	return html`<pre>${argumentsJson.slice(0, maxShownArgumentsLength)}</pre>
<p class="note">Showing the first ${maxShownArgumentsLength} of ${argumentsJson.length} characters of the arguments. The full arguments are in the item on the agent's "Needs approval" output.</p>`;
}
