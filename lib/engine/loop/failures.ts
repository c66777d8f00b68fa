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
