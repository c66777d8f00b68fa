import { ModelCallError } from './model-error';
import {
	cancelledFailure,
	httpStatusFailure,
	invalidResponseFailure,
	networkFailure,
	quotaFailure,
	type ProviderLabel,
	withoutFinalPeriod,
} from './provider-failure';
import { headerReader, parseRetryAfterMs } from './retry-after';

/** The fields of the AI SDK's APICallError this adapter reads; matched by name so `ai` need not be loaded. */
type ApiCallErrorShape = Error & { statusCode?: number; responseHeaders?: Record<string, string>; responseBody?: string };

/** OpenAI's code for an account without quota or credit: sent with 429, but waiting does not help. */
const quotaCode = 'insufficient_quota';

// Read by shape, not `instanceof`: fetch's errors can come from another realm (e.g. under jest's VM).
const errorName = (error: unknown): unknown =>
	typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;

const isApiCallError = (error: unknown): error is ApiCallErrorShape => errorName(error) === 'AI_APICallError';

const isAbortError = (error: unknown): boolean => errorName(error) === 'AbortError' || errorName(error) === 'ResponseAborted';

/** Translates whatever `doStream` threw into a ModelCallError; once `signal` is aborted every error is a cancellation. */
export const toChatFailure = (label: ProviderLabel, error: unknown, context: { signal: AbortSignal; nowMs: number }): ModelCallError => {
	if (context.signal.aborted || isAbortError(error)) return cancelledFailure(label, error);
	if (error instanceof ModelCallError) return error;
	// The SDK also reports a stream that broke after a 200 as an APICallError with that status.
	if (isApiCallError(error) && typeof error.statusCode === 'number' && error.statusCode >= 400) {
		if (error.statusCode === 429 && error.responseBody?.includes(quotaCode)) return quotaFailure(label, error);
		const retryAfterMs = parseRetryAfterMs(headerReader(error.responseHeaders), context.nowMs);
		return httpStatusFailure(label, error.statusCode, { detail: error.message, retryAfterMs, cause: error });
	}
	return (
		networkFailure(label, error) ??
		(isApiCallError(error)
			? new ModelCallError('network', `Cannot reach ${label.baseUrl}: ${error.message}. Check the base URL in the credential.`, {
					cause: error,
				})
			: invalidResponseFailure(label, error instanceof Error ? error.message : String(error), error))
	);
};

const rateLimitCodes = new Set(['rate_limit_exceeded', 'rate_limit_error']);

/**
 * An error the server sent inside a stream that had already started: either a chunk the SDK could
 * not parse, or an error object (`{ message, type, code }`) such as a mid-answer overload.
 */
export const chatStreamErrorFailure = (label: ProviderLabel, payload: unknown): ModelCallError => {
	if (payload instanceof Error) return invalidResponseFailure(label, payload.message, payload);
	const record = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
	const message = typeof record.message === 'string' ? record.message : JSON.stringify(payload);
	const code = String(record.code ?? record.type ?? '');
	if (code === quotaCode) return quotaFailure(label, payload);
	const kind = rateLimitCodes.has(code) || code === '429' ? 'rate-limited' : 'server';
	const what = code ? ` (${code})` : '';
	return new ModelCallError(kind, `The ${label.serviceName} reported an error while streaming${what}: ${withoutFinalPeriod(message)}.`, {
		cause: payload,
	});
};
