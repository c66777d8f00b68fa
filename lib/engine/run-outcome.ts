import type { JsonValue, Usage } from './model/messages';

/**
 * Why a run ended without a result. Stable strings: workflows branch on them.
 * - `max_turns`, `token_budget`, `timeout`, `cancelled`: a limit set on the node was reached.
 * - `output_invalid`: the final answer did not match the output schema after the repair turns.
 * - `model_*`: the provider could not be used (after retries and the fallback model).
 */
export type FailureCode =
	| 'max_turns'
	| 'token_budget'
	| 'timeout'
	| 'cancelled'
	| 'output_invalid'
	| 'model_auth'
	| 'model_bad_request'
	| 'model_rate_limited'
	| 'model_unavailable'
	| 'model_invalid_response';

export type RunFailure = { code: FailureCode; message: string };

type RunSummary = {
	runId: string;
	/** Model calls made. */
	turns: number;
	usage: Usage;
	/** Where the per-turn transcript objects are stored. */
	transcript: string;
};

/** How a run ended. Never an exception: limits and provider failures are `failed` with a code. */
export type RunOutcome =
	| (RunSummary & { status: 'done'; output: JsonValue })
	| (RunSummary & { status: 'failed'; error: RunFailure });
