import { budgetFailure } from '../budget/budget-check';
import type { Message } from '../model/messages';
import { continuationRequest, cutOffJsonProblem, emptyAnswerRequest, repairRequest } from '../output/output-instructions';
import { pauseRun } from './pause-run';
import type { AnsweringModel, RunFailure, RunOutcome } from '../run-outcome';
import { messageEntry, type TranscriptEntry } from '../transcript-entry';
import { emptyAnswerFailure, truncatedFailure } from './failures';
import type { RunContext, RunState } from './run-context';
import { budgetPendingCall, failRun, recordExtras, runSummary } from './run-end';
import type { TurnEnding } from './turn-ending';
import { appendTurn } from './transcript-turns';

/** How many more turns a text answer cut off by the output-token limit gets to finish. */
export const maxAnswerContinuations = 2;

/**
 * What a final answer has gathered so far in this stretch of the run: the text of turns the
 * output-token limit cut off, and whether the model was already told its answer was empty. A
 * turn with tool calls starts a new stretch.
 */
export type AnswerProgress = { cutOffParts: string[]; emptyAnswerRepaired: boolean };

export const freshAnswerProgress = (): AnswerProgress => ({ cutOffParts: [], emptyAnswerRepaired: false });

/** What an answer turn leads to: another model call (with these entries for its transcript object), or the end of the run. */
export type AnswerStep = { next: 'model'; pendingEntries: TranscriptEntry[] } | { next: 'stop'; outcome: RunOutcome };

/**
 * A turn without tool calls: the answer is finished, continued (cut off), repaired (invalid JSON)
 * or asked for again (empty). A run never ends `done` with an empty, cut-off or invalid answer.
 */
export async function handleAnswerTurn(
	context: RunContext,
	state: RunState,
	ending: Extract<TurnEnding, { kind: 'answer' | 'empty' }>,
	progress: AnswerProgress,
	turn: { turnEntries: TranscriptEntry[]; writeTurn: number; answeredBy: AnsweringModel },
): Promise<AnswerStep> {
	const { spec, deps } = context;
	const fail = async (error: RunFailure): Promise<AnswerStep> => ({ next: 'stop', outcome: await failRun(context, state, error) });
	const askAgain = (text: string): AnswerStep => {
		const request: Message = { role: 'user', content: [{ type: 'text', text }] };
		state.messages.push(request);
		return { next: 'model', pendingEntries: [messageEntry(request)] };
	};
	await appendTurn(context, state, turn.writeTurn, turn.turnEntries);
	const overBudget = budgetFailure(spec, state.usage, state.budgetGrants);

	const text = ending.kind === 'answer' ? ending.text : '';
	const cutOff = ending.kind === 'answer' && ending.cutOff;
	if (cutOff && spec.output.type === 'text') {
		progress.cutOffParts.push(text);
		if (progress.cutOffParts.length > maxAnswerContinuations) return await fail(truncatedFailure(maxAnswerContinuations, spec.limits.maxOutputTokensPerTurn));
		if (overBudget) return await fail(overBudget);
		return askAgain(continuationRequest);
	}

	// An empty turn after continuations means the model has nothing to add: the answer is what came before.
	const answerText = [...progress.cutOffParts, text].join('');
	progress.cutOffParts = [];
	if (!cutOff && answerText.trim() === '') {
		if (progress.emptyAnswerRepaired) return await fail(emptyAnswerFailure());
		if (overBudget) return await fail(overBudget);
		progress.emptyAnswerRepaired = true;
		return askAgain(emptyAnswerRequest);
	}
	const answer = cutOff ? ({ ok: false, problem: cutOffJsonProblem } as const) : context.readFinalAnswer(answerText);
	if (answer.ok) {
		const done = { ...runSummary(context, state), status: 'done' as const, output: answer.output, answeredBy: turn.answeredBy };
		await deps.store.writeRunRecord({ ...done, ...recordExtras(context), endedAt: new Date(deps.now()).toISOString() });
		return { next: 'stop', outcome: done };
	}
	const canRepair = spec.output.type === 'json' && state.repairTurnsUsed < spec.output.repairTurns;
	if (overBudget && !(canRepair && spec.limits.onBudgetExceeded === 'ask')) return await fail(overBudget);
	if (!canRepair) {
		if (cutOff) return await fail(truncatedFailure(state.repairTurnsUsed, spec.limits.maxOutputTokensPerTurn));
		return await fail({
			code: 'output_invalid',
			message: `The final answer is unusable after ${state.repairTurnsUsed} repair turn(s): ${answer.problem}. Check the JSON Schema, or raise 'Repair Turns'.`,
		});
	}
	state.repairTurnsUsed += 1;
	const step = askAgain(repairRequest(answer.problem));
	// The repair turn is another model call the budget no longer covers: ask first. Approving it sends the repair request.
	if (overBudget && step.next === 'model') {
		return { next: 'stop', outcome: await pauseRun(context, state, { turnEntries: step.pendingEntries, writeTurn: state.transcriptTurns + 1, pending: [budgetPendingCall(context, state, overBudget)], completedResults: [] }) };
	}
	return step;
}
