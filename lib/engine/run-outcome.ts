import { z } from 'zod/v4';

import type { JsonValue, Usage } from './model/messages';
import type { PendingCall } from './pause/pending-call';

/**
 * Why a run ended without a result. Stable strings: workflows branch on them.
 * - `max_turns`, `token_budget`, `cost_budget`, `timeout`, `cancelled`: a limit set on the node was reached.
 * - `output_invalid`: the final answer did not match the output schema after the repair turns.
 * - `output_truncated`: the answer kept hitting the output-token limit (after continuations or repair turns).
 * - `empty_answer`: the model answered with nothing, again after being told so.
 * - `model_refused`: the provider refused or filtered the answer.
 * - `model_*` (other): the provider could not be used (after retries and the fallback model).
 */
export const failureCodeSchema = z.enum([
	'max_turns',
	'token_budget',
	'cost_budget',
	'timeout',
	'cancelled',
	'output_invalid',
	'output_truncated',
	'empty_answer',
	'model_refused',
	'model_auth',
	'model_bad_request',
	'model_rate_limited',
	'model_unavailable',
	'model_invalid_response',
]);
export type FailureCode = z.infer<typeof failureCodeSchema>;

export const runFailureSchema = z.strictObject({ code: failureCodeSchema, message: z.string() });
export type RunFailure = z.infer<typeof runFailureSchema>;

export type RunSummary = {
	runId: string;
	/** Model calls made. */
	turns: number;
	usage: Usage;
	/** Estimated cost in USD from the model's price (fallback turns priced like the main model); absent when the price is unknown. */
	costUsd?: number;
	/** Where the per-turn transcript objects are stored. */
	transcript: string;
	/** Problems that did not stop the run (e.g. memory could not be written). */
	warnings?: string[];
};

/** Where a paused run was frozen and what it waits for. */
export type PauseInfo = {
	pauseId: string;
	snapshotKey: string;
	/** SHA-256 of the stored snapshot bytes. */
	snapshotHash: string;
	pending: PendingCall[];
	/** The model's text in the turn it paused, for the person deciding. */
	lastMessage: string;
};

/** The model whose answer ended a finished run: the provider's id for it, and whether it was the fallback model. */
export const answeringModelSchema = z.strictObject({ modelId: z.string(), usedFallback: z.boolean() });
export type AnsweringModel = z.infer<typeof answeringModelSchema>;

/**
 * How a run ended, or paused. Never an exception: limits and provider failures are `failed` with a
 * code; a tool that needs a human is `paused`, and `resumeAgent` continues it.
 */

export type RunOutcome =
	| (RunSummary & { status: 'done'; output: JsonValue; answeredBy: AnsweringModel })
	| (RunSummary & { status: 'paused'; pause: PauseInfo })
	| (RunSummary & { status: 'failed'; error: RunFailure });
