import { html } from './html';
import { htmlDocument } from './page-shell';

/** Shown to the person whose submission completed the decisions: the run goes on without them. */
export function thanksPage(): string {
	return htmlDocument(
		'Thanks: the agent continues',
		html`<div class="notice"><h1>Thanks — the agent continues</h1><p>Your decisions were recorded and the workflow is running again. You can close this page.</p>
<p>If the agent needs you again in this run, this same link shows what it asks next: <a href="">check for a new question or approval</a>. Once the run has finished, n8n answers the link itself (it says the execution is finished or that no action is required).</p></div>`,
	);
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
