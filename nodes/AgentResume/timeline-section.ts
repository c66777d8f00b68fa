import type { RunTimeline, TimelineStep } from '../../lib/resume';
import { html, type SafeHtml } from './html';

/**
 * The run so far, above its pending calls: the task, what the agent said, each tool call with its
 * arguments and a trimmed result, the tokens of each turn, earlier pauses and decisions. Everything
 * in it came from the model or a tool, so it is text only, escaped by the `html` tag.
 */
export function renderTimeline(timeline: RunTimeline): SafeHtml {
	if (timeline.steps.length === 0) return html``;
	return html`<details class="timeline" open>
<summary>The run so far: ${timeline.turns} ${timeline.turns === 1 ? 'turn' : 'turns'}, ${timeline.tokens.toLocaleString('en-US')} tokens</summary>
<ol>${timeline.steps.map(renderStep)}</ol>
</details>`;
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
