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
