import { ModelCallError, type ModelErrorKind } from './model-error';
import { formatSeconds } from './retry-after';

/** Who failed, in the words the workflow author sees in their credential and node. */
export type ProviderLabel = {
	/** How messages name the service, e.g. "Anthropic API". */
	serviceName: string;
	/** How messages name the n8n credential to fix, e.g. "Anthropic". */
	credentialName: string;
	baseUrl: string;
	modelId: string;
};

type NetworkProblem = 'refused' | 'host-not-found' | 'connection-closed' | 'timed-out' | 'tls';

const networkProblemByCode: Record<string, NetworkProblem> = {
	ECONNREFUSED: 'refused',
	ENOTFOUND: 'host-not-found',
	EAI_AGAIN: 'host-not-found',
	ECONNRESET: 'connection-closed',
	EPIPE: 'connection-closed',
	UND_ERR_SOCKET: 'connection-closed',
	ETIMEDOUT: 'timed-out',
	UND_ERR_CONNECT_TIMEOUT: 'timed-out',
	CERT_HAS_EXPIRED: 'tls',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
	SELF_SIGNED_CERT_IN_CHAIN: 'tls',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
	ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
};

// Messages Node and undici use when a connection dies without a code on the error itself.
const connectionClosedMessages = ['terminated', 'socket hang up', 'other side closed'];

const unreachableDescriptions: Record<Exclude<NetworkProblem, 'connection-closed'>, string> = {
	refused: 'connection refused',
	'host-not-found': 'host not found',
	'timed-out': 'the connection timed out',
	tls: 'its TLS certificate was rejected',
};

type ErrorLike = { code?: unknown; message?: unknown; cause?: unknown };

/**
 * Walks an error and its causes for the first sign of a failed or broken connection. Errors are
 * read by shape, not `instanceof Error`: undici's errors come from another realm under jest's VM.
 */
const findNetworkProblem = (error: unknown): NetworkProblem | undefined => {
	let current = error;
	for (let depth = 0; typeof current === 'object' && current !== null && depth < 8; depth++) {
		const { code, message, cause } = current as ErrorLike;
		if (typeof code === 'string' && code in networkProblemByCode) return networkProblemByCode[code];
		if (typeof message === 'string' && connectionClosedMessages.includes(message.toLowerCase())) return 'connection-closed';
		current = cause;
	}
	return undefined;
};

/** A connection-level failure as a `network` ModelCallError, or undefined when `error` is something else. */
export const networkFailure = (label: ProviderLabel, error: unknown): ModelCallError | undefined => {
	const problem = findNetworkProblem(error);
	if (problem === undefined) return undefined;
	if (problem === 'connection-closed') {
		const message = `The connection to ${label.baseUrl} closed before the answer was complete. This is usually temporary.`;
		return new ModelCallError('network', message, { cause: error });
	}
	const advice =
		problem === 'timed-out'
			? 'This is usually temporary; if it keeps happening, check the base URL in the credential.'
			: 'Check the base URL in the credential.';
	return new ModelCallError('network', `Cannot reach ${label.baseUrl}: ${unreachableDescriptions[problem]}. ${advice}`, {
		cause: error,
	});
};

/** The answer stream stopped before the provider's end marker: treated as a network failure so it is retried. */
export const streamCutOffFailure = (label: ProviderLabel, cause?: unknown): ModelCallError =>
	new ModelCallError(
		'network',
		`The ${label.serviceName} stream ended before the answer was complete. This is usually temporary.`,
		{ cause },
	);

export const timeoutFailure = (label: ProviderLabel, timeoutMs: number | undefined, cause?: unknown): ModelCallError => {
	const limit = timeoutMs === undefined ? 'in time' : `within ${timeoutMs} ms`;
	const message = `The ${label.serviceName} did not finish answering ${limit}. Raise the time limit or try a faster model.`;
	return new ModelCallError('timeout', message, { cause });
};

export const cancelledFailure = (label: ProviderLabel, cause?: unknown): ModelCallError =>
	new ModelCallError('cancelled', `The call to the ${label.serviceName} was cancelled.`, { cause });

/** Provider messages end with or without a period; ours add their own. */
export const withoutFinalPeriod = (text: string): string => text.trim().replace(/\.+$/, '');

const kindForStatus = (status: number): ModelErrorKind => {
	if (status === 401 || status === 403) return 'auth';
	if (status === 429) return 'rate-limited';
	if (status === 408 || status === 409 || status >= 500) return 'server';
	return 'bad-request';
};

const describeStatus = (label: ProviderLabel, status: number, detail: string): string => {
	const { serviceName, credentialName, modelId } = label;
	const because = detail ? `: ${detail}` : '';
	switch (true) {
		case status === 401:
			return `The ${serviceName} rejected the API key (401). Check the ${credentialName} credential.`;
		case status === 403:
			return (
				`The ${serviceName} refused access (403)${because}. ` +
				`Check that the API key in the ${credentialName} credential may use model "${modelId}".`
			);
		case status === 413:
			return (
				`The ${serviceName} refused the request as too large (413)${because}. ` +
				"The conversation no longer fits what the provider accepts: turn on 'Context Management' in the node's options, " +
				"set 'Context Window (Tokens)' to the model's real limit, or make the tools return smaller results."
			);
		case status === 404:
			return (
				`The ${serviceName} does not know model "${modelId}" or this endpoint (404)${because}. ` +
				`Check the model name and the base URL in the ${credentialName} credential.`
			);
		case status === 429:
			return `The ${serviceName} is rate limiting requests (429)${because}. Wait, or raise the account's rate limit.`;
		case status === 529:
			return `The ${serviceName} is overloaded (529)${because}. This is usually temporary.`;
		case status === 408 || status === 409 || status >= 500:
			return `The ${serviceName} failed with a server error (${status})${because}. This is usually temporary.`;
		default:
			return `The ${serviceName} rejected the request (${status})${because}. Check the model name "${modelId}" and the node's options.`;
	}
};

/**
 * What of an error body is worth quoting: an HTML page (a proxy's or gateway's error page) is
 * reduced to its title, since its markup would bury the message.
 */
export const readableDetail = (detail: string): string => {
	if (!/<(!doctype|html|head|body)\b/i.test(detail)) return withoutFinalPeriod(detail);
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(detail)?.[1]?.trim();
	return title ? `an HTML page titled "${withoutFinalPeriod(title)}"` : 'an HTML page';
};

/** An HTTP error response as a ModelCallError whose kind decides retries and whose message says what to fix. */
export const httpStatusFailure = (
	label: ProviderLabel,
	status: number,
	options: { detail?: string; retryAfterMs?: number; cause?: unknown },
): ModelCallError => {
	const description = describeStatus(label, status, readableDetail(options.detail ?? ''));
	const retryAfter = options.retryAfterMs === undefined ? '' : ` It asked to retry after ${formatSeconds(options.retryAfterMs)}.`;
	return new ModelCallError(kindForStatus(status), description + retryAfter, {
		status,
		retryAfterMs: options.retryAfterMs,
		cause: options.cause,
	});
};

/**
 * The account behind the credential has no quota or credit left (OpenAI's `insufficient_quota`,
 * sent with HTTP 429). Not a rate limit: waiting does not help, so it is not retried.
 */
export const quotaFailure = (label: ProviderLabel, cause?: unknown): ModelCallError =>
	new ModelCallError('auth', `The ${label.serviceName} reports that the account's quota is used up (insufficient_quota). Check the plan and billing of the account behind the ${label.credentialName} credential.`, {
		status: 429,
		cause,
	});

/**
 * A success status whose body is a web page, not the provider's answer: a proxy's login page, a
 * captive portal, a base URL that points at a website. Retrying would get the same page, so it is
 * not treated as an outage.
 */
export const notAnApiResponseFailure = (label: ProviderLabel, contentType: string, cause?: unknown): ModelCallError => {
	const mediaType = contentType.split(';')[0].trim();
	return new ModelCallError(
		'invalid-response',
		`The ${label.serviceName} answered with a web page (${mediaType}) instead of the API's JSON or event stream: ` +
			`something between n8n and the provider (a proxy, a login page) answered, or the base URL points at a website. ` +
			`Check the base URL in the ${label.credentialName} credential.`,
		{ status: 200, retryable: false, cause },
	);
};

/** The provider answered something this adapter cannot read. */
export const invalidResponseFailure = (label: ProviderLabel, detail: string, cause?: unknown): ModelCallError =>
	new ModelCallError(
		'invalid-response',
		`The ${label.serviceName} sent a response that could not be read: ${withoutFinalPeriod(detail)}.`,
		{ cause },
	);
