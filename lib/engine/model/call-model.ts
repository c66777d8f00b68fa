import type { LanguageModel, ModelRequest, ModelResponse } from './language-model';
import { ModelCallError, retryableKinds, type ModelErrorKind } from './model-error';
import { formatSeconds } from './retry-after';

/** How often and how patiently one model is retried before giving up (or moving to the fallback). */
export type RetryPolicy = {
	/** Retries after the first attempt; 0 means a single attempt. */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
};

export type CallModelDeps = {
	/** Waits `ms`; rejects when `signal` aborts so a cancelled run does not sit out a backoff. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	/** A number in [0, 1), for backoff jitter. */
	random(): number;
	/** Milliseconds since the epoch, to compare a wait with the run's deadline. */
	now(): number;
};

/** What bounds the whole call beyond the retry policy. */
export type CallModelLimits = {
	/** When the run's timeout fires (epoch ms): no retry waits past it. */
	deadlineMs?: number;
};

/**
 * The answer and who gave it: `modelId` is the model the provider reports having answered with (the
 * fallback's when `usedFallback`), so a run's output can say which model produced it.
 */
export type CallModelResult = ModelResponse & { modelId: string; usedFallback: boolean };

/** The longest wait a provider's retry-after can impose; beyond it the run is better off failing or falling back. */
export const maxRetryAfterMs = 60_000;

// A timeout is not worth retrying on the same model (it would likely time out again) but is a good
// reason to try the fallback.
const fallbackKinds: ReadonlySet<ModelErrorKind> = new Set([...retryableKinds, 'timeout']);

/**
 * Full-jitter exponential backoff: a random wait up to base·2^retry, capped. Jitter keeps many
 * runs that failed together from retrying together. A provider's retry-after wins when present.
 */
export const backoffDelayMs = (error: ModelCallError, retryIndex: number, policy: RetryPolicy, random: () => number): number => {
	if (error.retryAfterMs !== undefined) return error.retryAfterMs;
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
	return Math.floor(random() * ceiling);
};

/**
 * Why waiting `delayMs` before the next attempt is pointless, or undefined when it is worth it. A
 * retry-after beyond what a run waits, or a wait that would outlast the run's timeout, ends the
 * attempts on this model at once, so the fallback (or the failure) comes now rather than later.
 */
const reasonNotToWait = (error: ModelCallError, delayMs: number, limits: CallModelLimits, nowMs: number): string | undefined => {
	if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) {
		return `That is longer than a run waits between attempts (${formatSeconds(maxRetryAfterMs)}), so it was not retried.`;
	}
	if (limits.deadlineMs !== undefined && nowMs + delayMs >= limits.deadlineMs) {
		return `Waiting ${formatSeconds(delayMs)} for another attempt would outlast the run's timeout, so it was not retried.`;
	}
	return undefined;
};

const cancelled = (model: LanguageModel, cause?: unknown): ModelCallError =>
	new ModelCallError('cancelled', `The call to model "${model.modelId}" was cancelled.`, { cause });

const withNote = (error: ModelCallError, note: string): ModelCallError =>
	new ModelCallError(error.kind, `${error.message} ${note}`, {
		status: error.status,
		retryAfterMs: error.retryAfterMs,
		retryable: error.retryable,
		cause: error,
	});

const callWithRetries = async (
	model: LanguageModel,
	request: ModelRequest,
	policy: RetryPolicy,
	deps: CallModelDeps,
	limits: CallModelLimits,
): Promise<ModelResponse> => {
	for (let attempt = 0; ; attempt++) {
		if (request.signal.aborted) throw cancelled(model);
		try {
			return await model.generate(request);
		} catch (error) {
			if (!(error instanceof ModelCallError)) throw error;
			if (!error.retryable) throw error;
			if (attempt >= policy.maxRetries) {
				if (attempt === 0) throw error;
				throw withNote(error, `(Gave up after ${attempt + 1} attempts.)`);
			}
			const delayMs = backoffDelayMs(error, attempt, policy, deps.random);
			const notWaiting = reasonNotToWait(error, delayMs, limits, deps.now());
			if (notWaiting) throw withNote(error, notWaiting);
			try {
				await deps.sleep(delayMs, request.signal);
			} catch (sleepError) {
				throw cancelled(model, sleepError);
			}
		}
	}
};

/**
 * Calls the primary model, retrying transient failures (rate limits, server and network errors)
 * with backoff. When the primary still fails that way, times out, or asks for a wait the run cannot
 * afford, the fallback model gets the same request and the same policy. Authentication, bad-request and cancellation errors are
 * thrown at once: retrying or switching models would not fix them.
 */
export const callModel = async (
	request: ModelRequest,
	models: { primary: LanguageModel; fallback?: LanguageModel },
	policy: RetryPolicy,
	deps: CallModelDeps,
	limits: CallModelLimits = {},
): Promise<CallModelResult> => {
	let primaryError: ModelCallError;
	try {
		return { ...(await callWithRetries(models.primary, request, policy, deps, limits)), usedFallback: false };
	} catch (error) {
		if (!(error instanceof ModelCallError) || !models.fallback || !fallbackKinds.has(error.kind)) throw error;
		primaryError = error;
	}

	try {
		return { ...(await callWithRetries(models.fallback, request, policy, deps, limits)), usedFallback: true };
	} catch (error) {
		if (!(error instanceof ModelCallError) || error.kind === 'cancelled') throw error;
		throw new ModelCallError(
			error.kind,
			`The fallback model "${models.fallback.modelId}" failed too: ${error.message} ` +
				`The primary model "${models.primary.modelId}" had failed with: ${primaryError.message}`,
			{ status: error.status, retryAfterMs: error.retryAfterMs, cause: error },
		);
	}
};
