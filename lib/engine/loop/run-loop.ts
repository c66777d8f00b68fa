import { budgetFailure, crossedSoftBudget, wrapUpRequest } from '../budget/budget-check';
import { offeredToolDefinitions } from '../context/offered-tools';
import { requestView } from '../context/request-view';
import { shortenOldToolResults } from '../context/shorten-old-tool-results';
import { EmptySummaryError, summarizeOlderTurns } from '../context/summarize-older-turns';
import { episodeFromOutcome } from '../memory/episode-from-outcome';
import { callModel } from '../model/call-model';
import { addUsage, toolCallsOf, type Message, type TextPart, type ToolCallPart, type ToolResultPart, type Usage } from '../model/messages';
import { cutOffToolCallOutput } from '../output/output-instructions';
import { isStructuredOutputRejection } from '../output/structured-output-rejection';
import { pauseRun } from './pause-run';
import type { RunFailure, RunOutcome } from '../run-outcome';
import { messageEntry, type TranscriptEntry } from '../transcript-entry';
import { freshAnswerProgress, handleAnswerTurn } from './answer-turn';
import { executeToolCalls, executionOptions } from './execute-tool-calls';
import { maxTurnsFailure, modelFailure, refusalFailure, stopFailure } from './failures';
import { withoutSideEffects } from './last-turn-calls';
import { prepareToolCalls, toolResult, type PreparedCall } from './prepare-tool-calls';
import type { RunContext, RunState } from './run-context';
import { budgetPendingCall, failRun } from './run-end';
import type { RunSignal } from './run-signal';
import { turnTextStream } from './turn-text-stream';
import { appendTurn } from './transcript-turns';
import { readTurnEnding } from './turn-ending';
import { withUniqueToolCallIds } from './unique-tool-call-ids';

/** Where the loop starts: with a model call, or with the tool calls of the last assistant message (a budget pause was approved). */
export type LoopStart = 'model' | 'last-tool-calls';

/** What handling one turn's tool calls leads to: the next model call, or the end of the run for now. */
type ToolStep = { next: 'model'; pendingEntries: TranscriptEntry[] } | { next: 'stop'; outcome: RunOutcome };

/**
 * The agent loop: call the model, run the tools it asked for, repeat until it answers, a limit is
 * reached, or a call needs a human. `pendingEntries` are transcript entries not yet stored (the
 * task, a repair request, the decisions of a resume); they go into the next turn's object.
 */
export async function runLoop(context: RunContext, state: RunState, pendingEntries: TranscriptEntry[], runSignal: RunSignal, start: LoopStart = 'model'): Promise<RunOutcome> {
	const { spec, deps } = context;
	const fail = (error: RunFailure) => failRun(context, state, error);

	if (start === 'last-tool-calls') {
		const step = await handleToolCalls(context, state, lastToolCalls(state), { turnEntries: pendingEntries, usageBefore: state.usage, writeTurn: state.transcriptTurns + 1, resumed: true }, runSignal);
		if (step.next === 'stop') return step.outcome;
		pendingEntries = step.pendingEntries;
	}

	let answerProgress = freshAnswerProgress();
	const textStream = deps.streamText && spec.output.type === 'text' ? turnTextStream(deps.streamText) : undefined;
	for (;;) {
		// The bound comes first: a run never makes more model calls than the node allows.
		const stopCause = runSignal.cause();
		if (stopCause) return await fail(stopFailure(stopCause, spec.limits.timeoutMs));
		if (state.turns >= spec.limits.maxTurns) return await fail(maxTurnsFailure(spec.limits.maxTurns));

		const structuredOutput =
			spec.output.type === 'json' && spec.model.supportsStructuredOutput && state.structuredOutputRejected !== true ? { name: 'final_answer', schema: spec.output.schema } : undefined;
		let response;
		try {
			const summarized = await summarizeIfNeeded(context, state, runSignal);
			if (summarized) pendingEntries.push(summarized);
			response = await callModel(
				{
					system: context.system,
					messages: await context.files.withData(spec.contextPolicy ? shortenOldToolResults(requestView(state.messages, state.summary), spec.contextPolicy) : state.messages),
					tools: offeredToolDefinitions(context.toolDefinitions, state.messages),
					structuredOutput,
					maxOutputTokens: spec.limits.maxOutputTokensPerTurn,
					signal: runSignal.signal,
					...(textStream ? { onTextDelta: textStream.forTurn() } : {}),
				},
				{ primary: spec.model, fallback: spec.fallbackModel },
				spec.retry,
				deps,
				{ deadlineMs: runSignal.deadlineMs },
			);
		} catch (error) {
			if (structuredOutput && isStructuredOutputRejection(error)) {
				// The endpoint does not take a schema: from now on the instructions ask for the JSON, and validation and repair turns hold it to the schema.
				state.structuredOutputRejected = true;
				pendingEntries.push({ type: 'structured-output-rejected', message: (error as Error).message });
				continue;
			}
			await appendTurn(context, state, state.transcriptTurns + 1, [...pendingEntries, { type: 'model-error', message: (error as Error).message }]);
			return await fail(modelFailure(error, runSignal.cause(), spec.limits.timeoutMs));
		}
		state.turns += 1;
		textStream?.turnEnded(response.stopReason);
		const writeTurn = state.transcriptTurns + 1;
		const usageBefore = state.usage;
		state.usage = addUsage(state.usage, response.usage);
		const message = withUniqueToolCallIds(response.message, state.messages);
		state.messages.push(message);
		const turnEntries: TranscriptEntry[] = [
			...pendingEntries,
			messageEntry(message),
			{ type: 'usage', usage: response.usage, stopReason: response.stopReason, modelId: response.modelId, usedFallback: response.usedFallback, process: deps.processLabel },
		];
		pendingEntries = [];

		const ending = readTurnEnding({ ...response, message });
		if (ending.kind === 'refused') {
			await appendTurn(context, state, writeTurn, turnEntries);
			return await fail(refusalFailure(ending));
		}
		const step =
			ending.kind === 'tool-calls'
				? await handleToolCalls(context, state, ending.calls, { turnEntries, usageBefore, writeTurn, cutOffCall: ending.cutOffCall }, runSignal)
				: await handleAnswerTurn(context, state, ending, answerProgress, { turnEntries, writeTurn, answeredBy: { modelId: response.modelId, usedFallback: response.usedFallback } });
		if (step.next === 'stop') return step.outcome;
		pendingEntries = step.pendingEntries;
		// Tools ran: an answer after them starts afresh.
		if (ending.kind === 'tool-calls') answerProgress = freshAnswerProgress();
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
	turn: { turnEntries: TranscriptEntry[]; usageBefore: Usage; writeTurn: number; resumed?: boolean; cutOffCall?: ToolCallPart },
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
	// A call the output-token limit cut off is answered, never run: its arguments may be incomplete. It is the turn's last call.
	const { cutOffCall } = turn;
	const checked = [
		...(await prepareToolCalls(cutOffCall ? toolCalls.slice(0, -1) : toolCalls, context.tools)),
		...(cutOffCall ? [{ state: 'answered' as const, call: cutOffCall, result: toolResult(cutOffCall, cutOffToolCallOutput(cutOffCall.toolName), true) }] : []),
	];
	const lastTurn = state.turns >= spec.limits.maxTurns;
	const { prepared, unrun } = lastTurn ? withoutSideEffects(checked, spec.limits.maxTurns) : { prepared: checked, unrun: [] };
	// A resumed turn (a budget pause was approved) may have run before, in a continuation that died: the journal answers for its calls.
	const results = await answerPreparedCalls(prepared, context, runSignal, turn.resumed === true);
	if (lastTurn) {
		const resultMessage: Message = { role: 'user', content: results };
		state.messages.push(resultMessage);
		await appendTurn(context, state, turn.writeTurn, [...turn.turnEntries, messageEntry(resultMessage)]);
		return { next: 'stop', outcome: await failRun(context, state, maxTurnsFailure(spec.limits.maxTurns, unrun)) };
	}
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
async function summarizeIfNeeded(context: RunContext, state: RunState, runSignal: RunSignal): Promise<TranscriptEntry | undefined> {
	const { spec, deps } = context;
	if (!spec.contextPolicy) return undefined;
	let summarized;
	try {
		summarized = await summarizeOlderTurns(
			{ system: context.system, tools: offeredToolDefinitions(context.toolDefinitions, state.messages), messages: state.messages, summary: state.summary, policy: spec.contextPolicy },
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
	return last?.role === 'assistant' ? toolCallsOf(last) : [];
}

/** Writes the memory episode of a run that ended (a paused run gets one when it ends); a memory problem becomes a warning. */
export async function withEpisode(spec: RunContext['spec'], task: string, outcome: RunOutcome, state: RunState): Promise<RunOutcome> {
	if (outcome.status === 'paused') return outcome;
	const warnings = [
		spec.memory ? await spec.memory.recordEpisode(episodeFromOutcome(task, outcome, state.messages)) : undefined,
		outcome.status === 'done' && spec.conversation ? await savedExchange(spec.conversation, task, outcome.output) : undefined,
	].filter((warning): warning is string => warning !== undefined);
	return warnings.length > 0 ? { ...outcome, warnings: [...(outcome.warnings ?? []), ...warnings] } : outcome;
}

/** A chat memory that cannot be written does not fail a finished run: it becomes a warning. */
async function savedExchange(conversation: NonNullable<RunContext['spec']['conversation']>, task: string, output: unknown): Promise<string | undefined> {
	try {
		await conversation.saveExchange(task, typeof output === 'string' ? output : JSON.stringify(output));
		return undefined;
	} catch (error) {
		return `The chat memory was not updated: ${(error as Error).message}. The run's result is not affected.`;
	}
}

