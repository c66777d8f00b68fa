import type * as AnthropicSdk from '@anthropic-ai/sdk';
import { ModelCallError, type ModelErrorKind } from './model-error';
import {
	cancelledFailure,
	httpStatusFailure,
	invalidResponseFailure,
	networkFailure,
	timeoutFailure,
	type ProviderLabel,
	withoutFinalPeriod,
} from './provider-failure';
import { headerReader, parseRetryAfterMs } from './retry-after';

// An `error` event inside an otherwise successful stream has no HTTP status, only the API's error type.
const kindByStreamErrorType: Record<string, ModelErrorKind> = {
	overloaded_error: 'server',
	api_error: 'server',
	timeout_error: 'server',
	rate_limit_error: 'rate-limited',
	authentication_error: 'auth',
	permission_error: 'auth',
	invalid_request_error: 'bad-request',
	not_found_error: 'bad-request',
	request_too_large: 'bad-request',
};

/**
 * Translates whatever the Anthropic SDK threw into a ModelCallError. `signal` decides cancellation:
 * once the caller aborted, any error that follows is a consequence of that.
 */
export const toAnthropicFailure = (
	sdk: typeof AnthropicSdk,
	label: ProviderLabel,
	error: unknown,
	context: { signal: AbortSignal; nowMs: number },
): ModelCallError => {
	if (context.signal.aborted || error instanceof sdk.APIUserAbortError) return cancelledFailure(label, error);
	if (error instanceof ModelCallError) return error;
	// A failure raised inside our own fetch (see api-response-check.ts) reaches us wrapped as a connection error.
	if (error instanceof sdk.APIConnectionError && error.cause instanceof ModelCallError) return error.cause;
	if (error instanceof sdk.APIConnectionTimeoutError) return timeoutFailure(label, undefined, error);
	if (error instanceof sdk.APIConnectionError) {
		return (
			networkFailure(label, error) ??
			new ModelCallError('network', `Cannot reach ${label.baseUrl}: ${error.message}. Check the base URL in the credential.`, {
				cause: error,
			})
		);
	}
	if (error instanceof sdk.APIError) {
		const detail = error.apiMessage ?? error.message;
		if (typeof error.status === 'number') {
			const retryAfterMs = parseRetryAfterMs(headerReader(error.headers), context.nowMs);
			return httpStatusFailure(label, error.status, { detail, retryAfterMs, cause: error });
		}
		const errorType = error.type ?? 'unknown_error';
		return new ModelCallError(
			kindByStreamErrorType[errorType] ?? 'server',
			`The ${label.serviceName} reported an error while streaming (${errorType}): ${withoutFinalPeriod(detail)}.`,
			{ cause: error },
		);
	}
	return (
		networkFailure(label, error) ??
		invalidResponseFailure(label, error instanceof Error ? error.message : String(error), error)
	);
};
