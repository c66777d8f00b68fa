import type { OutputSpec } from '../agent-spec';

/** The system prompt part that tells the model what its final answer must look like. */
export function outputInstructions(output: OutputSpec): string {
	if (output.type === 'text') return '';
	return [
		'When you have finished, reply with only a JSON value (no prose, no code fences) that matches this JSON Schema:',
		JSON.stringify(output.schema),
	].join('\n');
}

/** The user message of a repair turn: what was wrong, and what to send instead. */
export function repairRequest(problem: string): string {
	return `Your final answer cannot be used: ${problem}. Reply again with only the corrected JSON value that matches the JSON Schema.`;
}

/** The user message after an answer the output-token limit cut off: go on from where it stopped. */
export const continuationRequest =
	'Your answer was cut off by the output-token limit. Continue it exactly where it stopped: do not repeat anything, do not add a preamble.';

/** The user message after an empty answer. */
export const emptyAnswerRequest = 'Your reply was empty: it had no text and no tool calls. Reply with your final answer.';

/** The repair problem of a JSON answer the output-token limit cut off. */
export const cutOffJsonProblem = 'it was cut off by the output-token limit before it was complete, so it is not valid JSON. Send a shorter answer that fits';

/** The tool result of a call whose arguments the output-token limit cut off. It is never run. */
export function cutOffToolCallOutput(toolName: string): string {
	return `Not run: your call to '${toolName}' was cut off by the output-token limit before its arguments were complete. Make the call again with smaller arguments (split the work over several calls if needed).`;
}
