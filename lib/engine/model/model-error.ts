/** Why a model call failed, in terms a workflow author can act on. */
export type ModelErrorKind =
	| 'auth' // 401/403: wrong or missing API key
	| 'bad-request' // 400/404/422: wrong model name, unsupported parameter
	| 'rate-limited' // 429
	| 'server' // 5xx, 408, 409, overloaded
	| 'network' // connection refused, DNS failure, reset, stream cut off
	| 'timeout'
	| 'cancelled'
	| 'invalid-response'; // the provider answered something we cannot parse

/** Retrying may usually help for these kinds (with backoff, honouring retry-after). */
export const retryableKinds: ReadonlySet<ModelErrorKind> = new Set(['rate-limited', 'server', 'network', 'invalid-response']);

export class ModelCallError extends Error {
	readonly kind: ModelErrorKind;
	readonly status?: number;
	/** Milliseconds the provider asked us to wait, from `retry-after` / `retry-after-ms`. */
	readonly retryAfterMs?: number;
	/** Whether another attempt on the same model may help; by default, whether the kind is retryable. */
	readonly retryable: boolean;

	constructor(
		kind: ModelErrorKind,
		message: string,
		options: { status?: number; retryAfterMs?: number; retryable?: boolean; cause?: unknown } = {},
	) {
		super(message, { cause: options.cause });
		this.name = 'ModelCallError';
		this.kind = kind;
		this.status = options.status;
		this.retryAfterMs = options.retryAfterMs;
		this.retryable = options.retryable ?? retryableKinds.has(kind);
	}
}
