import { cancelledFailure, headerReader, httpStatusFailure, invalidResponseFailure, ModelCallError, networkFailure, parseRetryAfterMs, type ProviderLabel } from '../../../lib/engine';

/** What provider SDK errors (OpenAI's, Anthropic's, Google's, Ollama's…) carry, as LangChain rethrows them. */
type ProviderErrorShape = {
	name?: unknown;
	message?: unknown;
	status?: unknown;
	statusCode?: unknown;
	/** n8n's NodeApiError, which n8n's chat model nodes throw for a failed call, keeps the status as text. */
	httpCode?: unknown;
	response?: { status?: unknown; headers?: unknown };
	headers?: unknown;
	lc_error_code?: unknown;
	cause?: unknown;
};

/** LangChain's own codes, for errors that lost their HTTP status on the way. */
const statusByLangChainCode: Readonly<Record<string, number>> = {
	MODEL_AUTHENTICATION: 401,
	MODEL_NOT_FOUND: 404,
	MODEL_RATE_LIMIT: 429,
	INVALID_PROMPT_INPUT: 400,
	INVALID_TOOL_RESULTS: 400,
};

/**
 * Translates whatever a connected chat model threw into a ModelCallError with an HTTP-like kind,
 * so retries, the fallback model and error codes behave as with the built-in providers.
 */
export function toConnectedModelFailure(label: ProviderLabel, error: unknown, context: { signal: AbortSignal; nowMs: number }): ModelCallError {
	if (error instanceof ModelCallError) return error;
	const shape = (typeof error === 'object' && error !== null ? error : {}) as ProviderErrorShape;
	if (context.signal.aborted || shape.name === 'AbortError') return cancelledFailure(label, error);
	const cause = (typeof shape.cause === 'object' && shape.cause !== null ? shape.cause : {}) as ProviderErrorShape;
	const status = [shape.status, shape.statusCode, shape.response?.status, numeric(shape.httpCode), cause.status, cause.statusCode].find((value) => typeof value === 'number') as number | undefined;
	const effectiveStatus = status ?? (typeof shape.lc_error_code === 'string' ? statusByLangChainCode[shape.lc_error_code] : undefined);
	const message = typeof shape.message === 'string' ? shape.message : String(error);
	if (effectiveStatus !== undefined && effectiveStatus >= 400) {
		const headers = (shape.headers ?? shape.response?.headers ?? cause.headers) as Headers | Record<string, string | undefined> | undefined;
		const retryAfterMs = parseRetryAfterMs(headerReader(headers), context.nowMs);
		return httpStatusFailure(label, effectiveStatus, { detail: message, retryAfterMs, cause: error });
	}
	return networkFailure(label, error) ?? invalidResponseFailure(label, message, error);
}

function numeric(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : undefined;
	return number;
}
