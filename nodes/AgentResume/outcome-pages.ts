import type { AfterDecision } from '../../lib/resume';
import { html, type SafeHtml } from './html';
import { htmlDocument } from './page-shell';

/**
 * What n8n itself answers on this link while the execution runs and after it finished (2.41; the
 * request never reaches this node then), so the pages can say what those answers mean.
 */
const n8nAnswers = html`While the workflow runs, n8n answers this link itself with <q>The execution "…" is running already</q>; once it has finished, with <q>The execution "… has finished already</q> (or <q>has finished with error</q>): nothing is left to decide then.`;

/**
 * The top of the page shown to the person whose submission completed the decisions, sent at once;
 * what became of the run follows when it is known (`afterDecisionSection`).
 */
export function thanksNotice(watchMilliseconds: number): SafeHtml {
	const seconds = Math.ceil(watchMilliseconds / 1000);
	return html`<div class="notice"><h1>Thanks — the agent continues</h1><p>Your decisions were recorded and the workflow is running again.</p>
<p class="note">This page waits up to ${seconds} ${seconds === 1 ? 'second' : 'seconds'} to show whether the agent needs you again in this run.</p></div>
`;
}

/**
 * What became of the run after the decision. `newPause` is the new pause's form when this request
 * may decide it (n8n's signature, the same for every wait of the execution); a request bound by one
 * pause's token may not, and is told where the new link comes from.
 */
export function afterDecisionSection(after: AfterDecision, newPause: SafeHtml | undefined): SafeHtml {
	if (after.status === 'paused-again') {
		const pauseNumbers = after.wait.items.flatMap((item) => (item.pauseNumber === undefined ? [] : [item.pauseNumber]));
		const which = pauseNumbers.length > 0 ? ` (pause ${Math.max(...pauseNumbers)} of its run)` : '';
		return html`<div class="notice paused-again" role="alert"><h2>The agent paused again and needs you</h2>
<p>After your decision the run went on and paused again in this execution${which}. ${
			newPause === undefined
				? 'The new pause has its own approval link, sent from the agent\'s Needs approval output like the first one.'
				: 'Decide it below; this link also shows it when you open it again.'
		}</p></div>
${newPause}`;
	}
	if (after.status === 'ended') {
		const failed = after.runs.filter((run) => run.status === 'failed').length;
		return html`<div class="notice"><h2>The agent has finished</h2>
<p>${after.runs.length === 1 ? (failed === 1 ? 'The run ended with an error; the workflow handles it.' : 'The run finished with its answer.') : `The ${after.runs.length} runs ended (${failed} with an error).`} Nothing is left to decide here, and you can close this page.</p>
<p class="note">This link stops working when the workflow's execution ends. ${n8nAnswers}</p></div>`;
	}
	return html`<div class="notice"><h2>The agent is still working</h2>
<p>If it needs you again in this run, this same link shows what it asks next: <a href="">check for a new question or approval</a>.</p>
<p class="note">${n8nAnswers}</p></div>`;
}

/** Shown when the submission decided some paused items and others are still open. */
export function recordedPage(waitingFor: number, alreadyDecided: readonly string[]): string {
	const open = waitingFor === 0 ? 'Every paused item is decided; the agent continues.' : `${waitingFor} paused ${waitingFor === 1 ? 'item is' : 'items are'} still waiting for a decision.`;
	return htmlDocument(
		'Decisions recorded',
		html`<div class="notice"><h1>Decisions recorded</h1><p>${open}</p>
${alreadyDecided.length > 0 ? html`<p>Someone else decided first on: ${alreadyDecided.join(', ')}. Their decisions stand.</p>` : ''}
${waitingFor > 0 ? html`<p><a href="">Back to the approval page</a></p>` : ''}</div>`,
	);
}
