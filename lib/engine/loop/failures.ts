import { ModelCallError, type ModelErrorKind } from '../model/model-error';
import type { FailureCode, RunFailure } from '../run-outcome';

const codeByKind: Record<Exclude<ModelErrorKind, 'cancelled' | 'timeout'>, FailureCode> = {
	auth: 'model_auth',
	'bad-request': 'model_bad_request',
	'rate-limited': 'model_rate_limited',
	server: 'model_unavailable',
	network: 'model_unavailable',
	'invalid-response': 'model_invalid_response',
};

/** Why the run's abort signal fired, so a stopped model call reports the limit, not a network error. */
export type StopCause = 'timeout' | 'cancelled';

export function stopFailure(cause: StopCause, timeoutMs: number | undefined): RunFailure {
	if (cause === 'timeout') {
		return { code: 'timeout', message: `The run took longer than its ${timeoutMs} ms timeout. Raise 'Timeout' or simplify the task.` };
	}
	return { code: 'cancelled', message: 'The run was cancelled (the n8n execution was stopped).' };
}

/** Turns a model call error into a run failure; errors that are not model call errors are bugs and rethrown. */
export function modelFailure(error: unknown, stopCause: StopCause | undefined, timeoutMs: number | undefined): RunFailure {
	if (stopCause) return stopFailure(stopCause, timeoutMs);
	if (!(error instanceof ModelCallError)) throw error;
	if (error.kind === 'cancelled') return stopFailure('cancelled', timeoutMs);
	if (error.kind === 'timeout') return { code: 'model_unavailable', message: error.message };
	return { code: codeByKind[error.kind], message: error.message };
}

/** A refusal or content filter: the provider's stated reason when it gave one, and what the model had written before. */
export function refusalFailure(ending: { details?: string; partialText: string }): RunFailure {
	const reason = ending.details ? ` (${ending.details})` : '';
	const partial = ending.partialText.trim() === '' ? '' : ` Its partial answer was: ${JSON.stringify(ending.partialText.trim())}.`;
	return {
		code: 'model_refused',
		message: `The model refused to answer or its answer was stopped by the provider's content filter${reason}.${partial} Rephrase the task or instructions, or use another model.`,
	};
}

export function truncatedFailure(attempts: number, maxOutputTokens: number): RunFailure {
	return {
		code: 'output_truncated',
		message: `The answer was still cut off by the output-token limit (${maxOutputTokens} tokens per turn) after ${attempts} more turn(s). Raise 'Max Output Tokens Per Turn', or ask for a shorter answer.`,
	};
}

export function emptyAnswerFailure(): RunFailure {
	return {
		code: 'empty_answer',
		message: 'The model answered with nothing (no text and no tool calls), again after being told so. Check the instructions and the task, or use another model.',
	};
}

/** Max Turns reached; `unrunCalls` are the side-effecting calls of the last turn, which were not run because no model call was left to see their results. */
export function maxTurnsFailure(maxTurns: number, unrunCalls: ReadonlyArray<{ toolName: string; toolCallId: string }> = []): RunFailure {
	const unrun =
		unrunCalls.length === 0
			? ''
			: ` Its last turn asked for ${unrunCalls.map((call) => `${call.toolName} (${call.toolCallId})`).join(', ')}, which were not run: no turn was left for the model to see their results.`;
	return {
		code: 'max_turns',
		message: `The agent used all ${maxTurns} turns without a final answer.${unrun} Raise 'Max Turns' or make the task smaller.`,
	};
}
