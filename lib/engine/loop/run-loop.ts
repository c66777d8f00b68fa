import { callModel } from '../model/call-model';
import { budgetFailure, crossedSoftBudget, runCost, wrapUpRequest } from '../budget/budget-check';
import { addUsage, type Message, type TextPart, type ToolCallPart, type ToolResultPart } from '../model/messages';
import { repairRequest } from '../output/output-instructions';
import { pauseRun } from '../pause/pause-run';
import type { RunFailure, RunOutcome } from '../run-outcome';
import { executeToolCalls } from './execute-tool-calls';
import { modelFailure, stopFailure } from './failures';
import { prepareToolCalls, type PreparedCall } from './prepare-tool-calls';
import type { RunContext, RunState } from './run-context';
import type { RunSignal } from './run-signal';

export const messageEntry = (message: Message) => ({ type: 'message', message });

/**
 * The agent loop: call the model, run the tools it asked for, repeat until it answers, a limit is
 * reached, or a call needs a human. `pendingEntries` are transcript entries not yet stored (the
 * task, a repair request, the decisions of a resume); they go into the next turn's object.
 */
export async function runLoop(context: RunContext, state: RunState, pendingEntries: unknown[], runSignal: RunSignal): Promise<RunOutcome> {
	const { spec, deps } = context;
	const summary = () => ({ runId: context.runId, turns: state.turns, usage: state.usage, costUsd: runCost(spec, state.usage), transcript: deps.store.transcriptLocation });
	const fail = async (error: RunFailure): Promise<RunOutcome> => {
		await deps.store.writeRunRecord({ ...summary(), status: 'failed', error, endedAt: new Date(deps.now()).toISOString() });
		return { ...summary(), status: 'failed', error };
	};

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
			response = await callModel(
				{
					system: context.system,
					messages: state.messages,
					tools: context.toolDefinitions,
					structuredOutput: spec.output.type === 'json' && spec.model.supportsStructuredOutput ? { name: 'final_answer', schema: spec.output.schema } : undefined,
					maxOutputTokens: spec.limits.maxOutputTokensPerTurn,
					signal: runSignal.signal,
				},
				{ primary: spec.model, fallback: spec.fallbackModel },
				spec.retry,
				deps,
			);
		} catch (error) {
			await deps.store.appendTurn(state.turns + 1, [...pendingEntries, { type: 'model-error', message: (error as Error).message }]);
			return await fail(modelFailure(error, runSignal.cause(), spec.limits.timeoutMs));
		}
		state.turns += 1;
		const usageBefore = state.usage;
		state.usage = addUsage(state.usage, response.usage);
		state.messages.push(response.message);
		const turnEntries: unknown[] = [
			...pendingEntries,
			messageEntry(response.message),
			{ type: 'usage', usage: response.usage, modelId: response.modelId, usedFallback: response.usedFallback },
		];
		pendingEntries = [];

		const toolCalls = response.message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
		if (toolCalls.length > 0) {
			// Executing this turn's tools would fire side effects even when the budget is already spent,
			// so the budget is checked before any tool runs.
			const overBudget = budgetFailure(spec, state.usage);
			if (overBudget) {
				await deps.store.appendTurn(state.turns, turnEntries);
				return await fail(overBudget);
			}
			const prepared = await prepareToolCalls(toolCalls, context.tools);
			const results = await answerPreparedCalls(prepared, context, runSignal);
			const pending = prepared.flatMap((call) => (call.state === 'pending' ? [call.pending] : []));
			if (pending.length > 0) return await pauseRun(context, state, { turnEntries, pending, completedResults: results });
			const wrapUp: TextPart[] = crossedSoftBudget(spec, usageBefore, state.usage) ? [{ type: 'text', text: wrapUpRequest }] : [];
			const resultMessage: Message = { role: 'user', content: [...results, ...wrapUp] };
			state.messages.push(resultMessage);
			await deps.store.appendTurn(state.turns, [...turnEntries, messageEntry(resultMessage)]);
			continue;
		}

		await deps.store.appendTurn(state.turns, turnEntries);
		const answerText = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		const answer = context.readFinalAnswer(answerText);
		if (answer.ok) {
			await deps.store.writeRunRecord({ ...summary(), status: 'done', output: answer.output, endedAt: new Date(deps.now()).toISOString() });
			return { ...summary(), status: 'done', output: answer.output };
		}
		const overBudget = budgetFailure(spec, state.usage);
		if (overBudget) return await fail(overBudget);
		if (spec.output.type !== 'json' || state.repairTurnsUsed >= spec.output.repairTurns) {
			return await fail({
				code: 'output_invalid',
				message: `The final answer is unusable after ${state.repairTurnsUsed} repair turn(s): ${answer.problem}. Check the JSON Schema, or raise 'Repair Turns'.`,
			});
		}
		state.repairTurnsUsed += 1;
		const repair: Message = { role: 'user', content: [{ type: 'text', text: repairRequest(answer.problem) }] };
		state.messages.push(repair);
		pendingEntries = [messageEntry(repair)];
	}
}

/** Results of every call that needs no human, in call order: error results as they are, ready calls run. */
async function answerPreparedCalls(prepared: readonly PreparedCall[], context: RunContext, runSignal: RunSignal): Promise<ToolResultPart[]> {
	const ready = prepared.flatMap((call) => (call.state === 'ready' ? [call] : []));
	const executed = await executeToolCalls(ready, {
		concurrency: context.spec.limits.toolConcurrency,
		signal: runSignal.signal,
		journal: context.deps.store.journal,
		consultJournal: false,
	});
	const byId = new Map(executed.map((result) => [result.toolCallId, result]));
	return prepared.flatMap((call) => {
		if (call.state === 'answered') return [call.result];
		if (call.state === 'ready') return [byId.get(call.call.toolCallId)!];
		return [];
	});
}
