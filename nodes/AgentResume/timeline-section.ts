import type { RunTimeline, TimelineStep } from '../../lib/resume';
import { html, type SafeHtml } from './html';

/**
 * The run so far, above its pending calls: the task, what the agent said, each tool call with its
 * arguments and a trimmed result, the tokens of each turn, earlier pauses and decisions, and the
 * run's estimated cost so far (`costUsd`, from the paused item: the page knows no prices). Everything
 * in it came from the model or a tool, so it is text only, escaped by the `html` tag.
 */
export function renderTimeline(timeline: RunTimeline, costUsd?: number): SafeHtml {
	if (timeline.steps.length === 0) return html``;
	return html`<details class="timeline" open>
<summary>The run so far: ${timeline.turns} ${timeline.turns === 1 ? 'turn' : 'turns'}, ${timeline.tokens.toLocaleString('en-US')} tokens${
		costUsd === undefined ? '' : `, estimated cost $${formatUsd(costUsd)}`
	}</summary>
<ol>${timeline.steps.map(renderStep)}</ol>
</details>`;
}

/** Four decimals, as the budget pause shows spend; a few turns of a small model cost less, so six then. */
function formatUsd(costUsd: number): string {
	if (costUsd === 0 || costUsd >= 0.0001) return costUsd.toFixed(4);
	return costUsd < 0.000001 ? '<0.000001' : costUsd.toFixed(6);
}

function renderStep(step: TimelineStep): SafeHtml {
	switch (step.kind) {
		case 'task':
			return html`<li class="step"><span class="label">Task</span><div class="text">${step.text}</div></li>`;
		case 'said':
			return html`<li class="step"><span class="label">Agent</span><div class="text">${step.text}</div></li>`;
		case 'tool-call':
			return html`<li class="step"><span class="label">Tool call</span> <strong>${step.toolName}</strong> <span class="note">${step.toolCallId}</span>
<pre>${step.argumentsJson}</pre>
${
	step.result === undefined
		? html`<p class="note">No result yet.</p>`
		: html`<p class="note">${step.result.isError ? 'Error' : 'Result'}${step.result.trimmedFrom === undefined ? '' : ` (first ${step.result.text.length} of ${step.result.trimmedFrom} characters)`}:</p><pre>${step.result.text}</pre>`
}</li>`;
		case 'turn':
			return html`<li class="step turn">Turn ${step.turn}: ${step.tokens.toLocaleString('en-US')} tokens (${step.modelId})</li>`;
		case 'paused':
			return html`<li class="step turn">Paused on ${step.calls.join(', ')}</li>`;
		case 'decided':
			return html`<li class="step turn">Decided: ${step.summary.join('; ')}</li>`;
		case 'summary':
			return html`<li class="step turn">${step.text}</li>`;
	}
}
