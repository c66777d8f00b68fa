import type { AgentSpec, EngineDeps, RunInput } from '../agent-spec';
import { callModel } from '../model/call-model';
import type { ToolDefinition } from '../model/language-model';
import { addUsage, emptyUsage, totalTokens, type Message, type ToolCallPart, type Usage } from '../model/messages';
import { createFinalAnswerReader } from '../output/final-answer';
import { outputInstructions, repairRequest } from '../output/output-instructions';
import type { RunFailure, RunOutcome } from '../run-outcome';
import type { Tool } from '../tools/tool';
import { executeToolCalls } from './execute-tool-calls';
import { modelFailure, stopFailure, type StopCause } from './failures';
import { createRunSignal } from './run-signal';

/** Mutable state of one run; everything in it is plain data so it can later be snapshotted. */
type RunState = { messages: Message[]; usage: Usage; turns: number; repairTurnsUsed: number };

/**
 * Runs the agent until it answers, fails a limit, or the provider fails for good.
 * Storage errors and invalid configuration throw; everything else is a `RunOutcome`.
 */
export async function runAgent(spec: AgentSpec, input: RunInput, deps: EngineDeps): Promise<RunOutcome> {
	const readFinalAnswer = createFinalAnswerReader(spec.output);
	const tools = toolMap(spec.tools);
	const toolDefinitions: ToolDefinition[] = spec.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
	const system = [spec.instructions, outputInstructions(spec.output)].filter(Boolean).join('\n\n');
	const state: RunState = { messages: [{ role: 'user', content: [{ type: 'text', text: input.task }] }], usage: emptyUsage(), turns: 0, repairTurnsUsed: 0 };
	const runSignal = createRunSignal(spec.limits.timeoutMs, deps);
	const summary = () => ({ runId: input.runId, turns: state.turns, usage: state.usage, transcript: deps.store.transcriptLocation });
	const fail = async (error: RunFailure): Promise<RunOutcome> => {
		await deps.store.writeRunRecord({ ...summary(), status: 'failed', error, endedAt: new Date(deps.now()).toISOString() });
		return { ...summary(), status: 'failed', error };
	};

	await deps.store.writeRunRecord({ ...summary(), status: 'running', startedAt: new Date(deps.now()).toISOString() });
	try {
		let pendingEntries: Message[] = [...state.messages];
		for (;;) {
			// The bound comes first: a run never makes more model calls than the node allows.
			if (runSignal.cause()) return await fail(stopFailure(runSignal.cause() as StopCause, spec.limits.timeoutMs));
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
						system,
						messages: state.messages,
						tools: toolDefinitions,
						structuredOutput: spec.output.type === 'json' && spec.model.supportsStructuredOutput ? { name: 'final_answer', schema: spec.output.schema } : undefined,
						maxOutputTokens: spec.limits.maxOutputTokensPerTurn,
						signal: runSignal.signal,
					},
					{ primary: spec.model, fallback: spec.fallbackModel },
					spec.retry,
					deps,
				);
			} catch (error) {
				await deps.store.appendTurn(state.turns + 1, [...pendingEntries.map(messageEntry), { type: 'model-error', message: (error as Error).message }]);
				return await fail(modelFailure(error, runSignal.cause(), spec.limits.timeoutMs));
			}
			state.turns += 1;
			state.usage = addUsage(state.usage, response.usage);
			state.messages.push(response.message);
			const turnEntries: unknown[] = [...pendingEntries.map(messageEntry), messageEntry(response.message), { type: 'usage', usage: response.usage, modelId: response.modelId, usedFallback: response.usedFallback }];
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
				const results = await executeToolCalls(toolCalls, tools, { concurrency: spec.limits.toolConcurrency, signal: runSignal.signal });
				const resultMessage: Message = { role: 'user', content: results };
				state.messages.push(resultMessage);
				await deps.store.appendTurn(state.turns, [...turnEntries, messageEntry(resultMessage)]);
				continue;
			}

			await deps.store.appendTurn(state.turns, turnEntries);
			const answerText = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
			const answer = readFinalAnswer(answerText);
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
			pendingEntries = [repair];
		}
	} finally {
		runSignal.dispose();
	}
}

function budgetFailure(spec: AgentSpec, usage: Usage): RunFailure | undefined {
	const budget = spec.limits.maxTotalTokens;
	if (budget === undefined || totalTokens(usage) < budget) return undefined;
	return {
		code: 'token_budget',
		message: `The run spent ${totalTokens(usage)} tokens, over its budget of ${budget}. Raise 'Token Budget' or make the task smaller.`,
	};
}

function toolMap(tools: readonly Tool[]): Map<string, Tool> {
	const byName = new Map<string, Tool>();
	for (const tool of tools) {
		if (byName.has(tool.name)) throw new Error(`Two tools are named '${tool.name}'. Tool names must be unique: rename one of them.`);
		byName.set(tool.name, tool);
	}
	return byName;
}

const messageEntry = (message: Message) => ({ type: 'message', message });
