import { budgetFailure, crossedSoftBudget, runCost, wrapUpRequest } from '../budget/budget-check';
import { requestView } from '../context/request-view';
import { shortenOldToolResults } from '../context/shorten-old-tool-results';
import { EmptySummaryError, summarizeOlderTurns } from '../context/summarize-older-turns';
import { episodeFromOutcome } from '../memory/episode-from-outcome';
import { callModel } from '../model/call-model';
import { addUsage, type Message, type TextPart, type ToolCallPart, type ToolResultPart, type Usage } from '../model/messages';
import { repairRequest } from '../output/output-instructions';
import { pauseRun } from '../pause/pause-run';
import type { PendingCall } from '../pause/pending-call';
import type { RunFailure, RunOutcome } from '../run-outcome';
import { executeToolCalls, executionOptions } from './execute-tool-calls';
import { modelFailure, stopFailure } from './failures';
import { prepareToolCalls, type PreparedCall } from './prepare-tool-calls';
import type { RunContext, RunState } from './run-context';
import type { RunSignal } from './run-signal';
import { appendTurn } from './transcript-turns';

export const messageEntry = (message: Message) => ({ type: 'message', message });

/** Where the loop starts: with a model call, or with the tool calls of the last assistant message (a budget pause was approved). */
export type LoopStart = 'model' | 'last-tool-calls';

/** What handling one turn's tool calls leads to: the next model call, or the end of the run for now. */
type ToolStep = { next: 'model'; pendingEntries: unknown[] } | { next: 'stop'; outcome: RunOutcome };

/**
 * The agent loop: call the model, run the tools it asked for, repeat until it answers, a limit is
 * reached, or a call needs a human. `pendingEntries` are transcript entries not yet stored (the
 * task, a repair request, the decisions of a resume); they go into the next turn's object.
 */
export async function runLoop(context: RunContext, state: RunState, pendingEntries: unknown[], runSignal: RunSignal, start: LoopStart = 'model'): Promise<RunOutcome> {
	const { spec, deps } = context;
	const fail = (error: RunFailure) => failRun(context, state, error);

	if (start === 'last-tool-calls') {
		const step = await handleToolCalls(context, state, lastToolCalls(state), { turnEntries: pendingEntries, usageBefore: state.usage, writeTurn: state.transcriptTurns + 1, resumed: true }, runSignal);
		if (step.next === 'stop') return step.outcome;
		pendingEntries = step.pendingEntries;
	}

	for (;;) {
		// The bound comes first: a run never makes more model calls than the node allows.
		const stopCause = runSignal.cause();
		if (stopCause) return await fail(stopFailure(stopCause, spec.limits.timeoutMs));
		if (state.turns >= spec.limits.maxTurns) {
			return await fail({
				code: 'max_turns',
				message: `The agent used all ${spec.limits.maxTurns} turns without a final answer. Raise 'Max Turns' or make the task smaller.`,
			});
		}

		let response;
		try {
			const summarized = await summarizeIfNeeded(context, state, runSignal);
			if (summarized) pendingEntries.push(summarized);
			response = await callModel(
				{
					system: context.system,
					messages: spec.context ? shortenOldToolResults(requestView(state.messages, state.summary), spec.context) : state.messages,
					tools: context.toolDefinitions,
					structuredOutput: spec.output.type === 'json' && spec.model.supportsStructuredOutput ? { name: 'final_answer', schema: spec.output.schema } : undefined,
					maxOutputTokens: spec.limits.maxOutputTokensPerTurn,
					signal: runSignal.signal,
				},
				{ primary: spec.model, fallback: spec.fallbackModel },
				spec.retry,
				deps,
				{ deadlineMs: runSignal.deadlineMs },
			);
		} catch (error) {
			await appendTurn(context, state, state.transcriptTurns + 1, [...pendingEntries, { type: 'model-error', message: (error as Error).message }]);
			return await fail(modelFailure(error, runSignal.cause(), spec.limits.timeoutMs));
		}
		state.turns += 1;
		const writeTurn = state.transcriptTurns + 1;
		const usageBefore = state.usage;
		state.usage = addUsage(state.usage, response.usage);
		state.messages.push(response.message);
		const turnEntries: unknown[] = [
			...pendingEntries,
			messageEntry(response.message),
			{ type: 'usage', usage: response.usage, modelId: response.modelId, usedFallback: response.usedFallback, process: deps.processLabel },
		];
		pendingEntries = [];

		const toolCalls = response.message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
		if (toolCalls.length > 0) {
			const step = await handleToolCalls(context, state, toolCalls, { turnEntries, usageBefore, writeTurn }, runSignal);
			if (step.next === 'stop') return step.outcome;
			pendingEntries = step.pendingEntries;
			continue;
		}

		await appendTurn(context, state, writeTurn, turnEntries);
		const answerText = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		const answer = context.readFinalAnswer(answerText);
		if (answer.ok) {
			await deps.store.writeRunRecord({ ...runSummary(context, state), ...recordExtras(context), status: 'done', output: answer.output, endedAt: new Date(deps.now()).toISOString() });
			return { ...runSummary(context, state), status: 'done', output: answer.output };
		}
		const overBudget = budgetFailure(spec, state.usage, state.budgetGrants);
		const canRepair = spec.output.type === 'json' && state.repairTurnsUsed < spec.output.repairTurns;
		if (overBudget && !(canRepair && spec.limits.onBudgetExceeded === 'ask')) return await fail(overBudget);
		if (!canRepair) {
			return await fail({
				code: 'output_invalid',
				message: `The final answer is unusable after ${state.repairTurnsUsed} repair turn(s): ${answer.problem}. Check the JSON Schema, or raise 'Repair Turns'.`,
			});
		}
		state.repairTurnsUsed += 1;
		const repair: Message = { role: 'user', content: [{ type: 'text', text: repairRequest(answer.problem) }] };
		state.messages.push(repair);
		pendingEntries = [messageEntry(repair)];
		// The repair turn is another model call the budget no longer covers: ask first. Approving it sends the repair request.
		if (overBudget) return await pauseRun(context, state, { turnEntries: pendingEntries, writeTurn: state.transcriptTurns + 1, pending: [budgetPendingCall(context, state, overBudget)], completedResults: [] });
	}
}

/**
 * One turn's tool calls: check the budget before any runs (running them would fire side effects
 * the budget no longer covers), answer invalid calls, run the free ones, pause on gated ones.
 * `writeTurn` is the transcript object the turn's entries go to.
 */
async function handleToolCalls(
	context: RunContext,
	state: RunState,
	toolCalls: ToolCallPart[],
	turn: { turnEntries: unknown[]; usageBefore: Usage; writeTurn: number; resumed?: boolean },
	runSignal: RunSignal,
): Promise<ToolStep> {
	const { spec } = context;
	const overBudget = budgetFailure(spec, state.usage, state.budgetGrants);
	if (overBudget) {
		if (spec.limits.onBudgetExceeded === 'ask') {
			const pending = [budgetPendingCall(context, state, overBudget)];
			return { next: 'stop', outcome: await pauseRun(context, state, { turnEntries: turn.turnEntries, writeTurn: turn.writeTurn, pending, completedResults: [] }) };
		}
		await appendTurn(context, state, turn.writeTurn, turn.turnEntries);
		return { next: 'stop', outcome: await failRun(context, state, overBudget) };
	}
	const prepared = await prepareToolCalls(toolCalls, context.tools);
	// A resumed turn (a budget pause was approved) may have run before, in a continuation that died: the journal answers for its calls.
	const results = await answerPreparedCalls(prepared, context, runSignal, turn.resumed === true);
	const pending = prepared.flatMap((call) => (call.state === 'pending' ? [call.pending] : []));
	if (pending.length > 0) return { next: 'stop', outcome: await pauseRun(context, state, { turnEntries: turn.turnEntries, writeTurn: turn.writeTurn, pending, completedResults: results }) };
	const wrapUp: TextPart[] = crossedSoftBudget(spec, turn.usageBefore, state.usage, state.budgetGrants) ? [{ type: 'text', text: wrapUpRequest }] : [];
	const resultMessage: Message = { role: 'user', content: [...results, ...wrapUp] };
	state.messages.push(resultMessage);
	if (!turn.resumed) {
		await appendTurn(context, state, turn.writeTurn, [...turn.turnEntries, messageEntry(resultMessage)]);
		return { next: 'model', pendingEntries: [] };
	}
	// Results of a resumed turn go into the next turn's object, after the decisions that led to them.
	return { next: 'model', pendingEntries: [...turn.turnEntries, messageEntry(resultMessage)] };
}

/** The pending "call" a budget pause asks a person to decide: allow the budget once more, or end the run. */
function budgetPendingCall(context: RunContext, state: RunState, overBudget: RunFailure): PendingCall {
	const input = { reason: overBudget.message, usage: state.usage, costUsd: runCost(context.spec, state.usage) ?? null };
	return { toolCallId: `budget-${state.turns}`, toolName: 'budget', input, kind: 'budget' };
}

/** Results of every call that needs no human, in call order: error results as they are, ready calls run. */
async function answerPreparedCalls(prepared: readonly PreparedCall[], context: RunContext, runSignal: RunSignal, consultJournal: boolean): Promise<ToolResultPart[]> {
	const ready = prepared.flatMap((call) => (call.state === 'ready' ? [call] : []));
	const executed = await executeToolCalls(ready, executionOptions(context, runSignal, { consultJournal }));
	const byId = new Map(executed.map((result) => [result.toolCallId, result]));
	return prepared.flatMap((call) => {
		if (call.state === 'answered') return [call.result];
		if (call.state === 'ready') return [byId.get(call.call.toolCallId)!];
		return [];
	});
}

/**
 * Folds older turns into a summary when the next request would fill too much of the context
 * window. Its usage counts like any turn's; the transcript keeps every raw turn regardless.
 */
async function summarizeIfNeeded(context: RunContext, state: RunState, runSignal: RunSignal): Promise<unknown | undefined> {
	const { spec, deps } = context;
	if (!spec.context) return undefined;
	let summarized;
	try {
		summarized = await summarizeOlderTurns(
			{ system: context.system, tools: context.toolDefinitions, messages: state.messages, summary: state.summary, policy: spec.context },
			{ model: { generate: (request) => callModel(request, { primary: spec.model, fallback: spec.fallbackModel }, spec.retry, deps, { deadlineMs: runSignal.deadlineMs }) }, signal: runSignal.signal },
		);
	} catch (error) {
		// The request is still below the window (summaries start well before it is full), so the run
		// goes on unsummarised; the main call reports the provider's problem if it persists. A call that
		// answered was billed, so its usage counts toward the run's budgets.
		if (error instanceof EmptySummaryError) {
			state.usage = addUsage(state.usage, error.usage);
			return { type: 'summary-failed', message: error.message, usage: error.usage };
		}
		return { type: 'summary-failed', message: (error as Error).message };
	}
	if (!summarized) return undefined;
	state.summary = { text: summarized.summary, summarizedMessageCount: summarized.summarizedMessageCount };
	state.usage = addUsage(state.usage, summarized.usage);
	return { type: 'summary', summarizedMessageCount: summarized.summarizedMessageCount, text: summarized.summary, usage: summarized.usage };
}

function lastToolCalls(state: RunState): ToolCallPart[] {
	const last = state.messages.at(-1);
	if (last?.role !== 'assistant') return [];
	return last.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
}

/** Writes the memory episode of a run that ended (a paused run gets one when it ends); a memory problem becomes a warning. */
export async function withEpisode(spec: RunContext['spec'], task: string, outcome: RunOutcome, state: RunState): Promise<RunOutcome> {
	if (!spec.memory || outcome.status === 'paused') return outcome;
	const warning = await spec.memory.recordEpisode(episodeFromOutcome(task, outcome, state.messages));
	return warning ? { ...outcome, warnings: [...(outcome.warnings ?? []), warning] } : outcome;
}

export function runSummary(context: RunContext, state: RunState) {
	return { runId: context.runId, turns: state.turns, usage: state.usage, costUsd: runCost(context.spec, state.usage), transcript: context.deps.store.transcriptLocation };
}

/** What run records carry besides the outcome: which process wrote them. */
function recordExtras(context: RunContext) {
	return { process: context.deps.processLabel };
}

/** Records the failure in the run record and returns it as the outcome. */
export async function failRun(context: RunContext, state: RunState, error: RunFailure): Promise<RunOutcome> {
	await context.deps.store.writeRunRecord({ ...runSummary(context, state), ...recordExtras(context), status: 'failed', error, endedAt: new Date(context.deps.now()).toISOString() });
	return { ...runSummary(context, state), status: 'failed', error };
}
