import { z } from 'zod/v4';

import { extractText, toolCallsOf, totalTokens, usageSchema, type AssistantMessage, type JsonValue, type Message } from '../model/messages';
import type { RunRecord } from '../run-record';
import { runFailureSchema, type RunOutcome } from '../run-outcome';
import { answerDifference } from './answer-difference';
import { canonicalJson } from './canonical-json';
import { assistantTurns } from './recorded-run';

/** One side of a comparison: how a run ended, its answer (null unless done), and what it spent. */
export const comparedRunSchema = z.strictObject({
	runId: z.string(),
	status: z.enum(['done', 'paused', 'failed']),
	answer: z.json().nullable(),
	error: runFailureSchema.optional(),
	turns: z.number().int().min(0),
	usage: usageSchema,
	/** Every token the run spent (input, output and cache), as budgets count them. */
	totalTokens: z.number().int().min(0),
	/** Estimated from the model's price; null when the price is unknown. */
	costUsd: z.number().min(0).nullable(),
});
export type ComparedRun = z.infer<typeof comparedRunSchema>;

/**
 * What changed between a stored run and its replay (the Replay Run mode's output item).
 * - `answersEqual`: both ended the same way with the same answer (deep-equal for JSON, exact for text);
 * - `difference`: a short difference between the answers, when they differ;
 * - `divergedAtTurn`: the first turn whose model message (text and tool calls) differs; null when every turn matched.
 */
export const runComparisonSchema = z.strictObject({
	fromTurn: z.number().int().min(0),
	original: comparedRunSchema,
	replay: comparedRunSchema,
	answersEqual: z.boolean(),
	difference: z.string().optional(),
	divergedAtTurn: z.number().int().min(1).nullable(),
	toolCalls: z.strictObject({ replayed: z.number().int().min(0), unavailable: z.number().int().min(0), executed: z.number().int().min(0) }),
});
export type RunComparison = z.infer<typeof runComparisonSchema>;

export function comparedOriginal(record: RunRecord): ComparedRun {
	const status = record.status === 'running' ? 'failed' : record.status;
	return {
		runId: record.runId,
		status,
		answer: status === 'done' ? ((record.output ?? null) as JsonValue | null) : null,
		...(record.error ? { error: record.error } : {}),
		turns: record.turns,
		usage: record.usage,
		totalTokens: totalTokens(record.usage),
		costUsd: record.costUsd ?? null,
	};
}

export function comparedOutcome(outcome: RunOutcome): ComparedRun {
	return {
		runId: outcome.runId,
		status: outcome.status,
		answer: outcome.status === 'done' ? outcome.output : null,
		...(outcome.status === 'failed' ? { error: outcome.error } : {}),
		turns: outcome.turns,
		usage: outcome.usage,
		totalTokens: totalTokens(outcome.usage),
		costUsd: outcome.costUsd ?? null,
	};
}

/** The comparison of two runs, given each one's ending and its messages. */
export function compareRuns(
	original: { run: ComparedRun; messages: readonly Message[] },
	replay: { run: ComparedRun; messages: readonly Message[] },
	details: Pick<RunComparison, 'fromTurn' | 'toolCalls'>,
): RunComparison {
	const answersEqual = original.run.status === replay.run.status && original.run.error?.code === replay.run.error?.code && canonicalJson(original.run.answer) === canonicalJson(replay.run.answer);
	const difference = answersEqual ? undefined : (answerDifference(original.run.answer, replay.run.answer) ?? `the original ${endingOf(original.run)}, the replay ${endingOf(replay.run)}`);
	return {
		fromTurn: details.fromTurn,
		original: original.run,
		replay: replay.run,
		answersEqual,
		...(difference === undefined ? {} : { difference }),
		divergedAtTurn: firstDifferentTurn(assistantTurns(original.messages), assistantTurns(replay.messages)),
		toolCalls: details.toolCalls,
	};
}

/** Turn numbers start at 1. Reasoning is left out: the same answer may be reached by other thoughts. */
function firstDifferentTurn(original: readonly AssistantMessage[], replay: readonly AssistantMessage[]): number | null {
	const shared = Math.min(original.length, replay.length);
	for (let index = 0; index < shared; index++) if (turnContent(original[index]) !== turnContent(replay[index])) return index + 1;
	return original.length === replay.length ? null : shared + 1;
}

/** A turn's text and its tool calls (tool and arguments; call ids are the provider's and differ run to run). */
function turnContent(message: AssistantMessage): string {
	return canonicalJson({ text: extractText(message), calls: toolCallsOf(message).map((call) => [call.toolName, call.input]) });
}

function endingOf(run: ComparedRun): string {
	if (run.status === 'failed') return `failed (${run.error?.code ?? 'no reason recorded'})`;
	return run.status === 'paused' ? 'paused' : 'answered';
}
