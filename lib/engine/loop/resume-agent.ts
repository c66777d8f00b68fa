import type { AgentSpec, EngineDeps } from '../agent-spec';
import { budgetFailure } from '../budget/budget-check';
import { extractText, type Message, type ToolCallPart, type ToolResultPart } from '../model/messages';
import type { Decision } from '../pause/decisions';
import { definitionChanges, describeDefinition } from '../pause/definition';
import type { PendingCall } from '../pause/pending-call';
import { stateFromSnapshot, type AgentDefinition, type Snapshot } from '../pause/snapshot';
import type { RunOutcome } from '../run-outcome';
import { messageEntry, type TranscriptEntry } from '../transcript-entry';
import type { Tool } from '../tools/tool';
import { validateToolInput } from '../tools/validate-tool-input';
import { executeToolCalls, executionOptions } from './execute-tool-calls';
import { toolResult } from './prepare-tool-calls';
import { createRunContext, toolMap, type RunContext, type RunState } from './run-context';
import { leaseRunRecords, type RunLease } from './run-lease';
import { runLoop, withEpisode } from './run-loop';
import { failRun } from './run-end';
import { createRunSignal, type RunSignal } from './run-signal';
import { appendTurn } from './transcript-turns';

/** A resume that cannot be applied as given: the message says what to fix. Nothing was executed. */
export class ResumeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ResumeError';
	}
}

/**
 * Continues a paused run with a human's decisions: approved calls run (with edited arguments, if
 * any), rejected calls return the reason to the model, answers become `ask_human` results. Then the
 * same run goes on under the same run id and transcript, and may pause again.
 */
export async function resumeAgent(spec: AgentSpec, snapshot: Snapshot, decisions: readonly Decision[], engineDeps: EngineDeps, attempt = 1): Promise<RunOutcome> {
	const lease = leaseRunRecords(engineDeps);
	try {
		return await resumeLeased(spec, snapshot, decisions, { ...engineDeps, store: lease.store }, { attempt, lease });
	} finally {
		lease.dispose();
	}
}

/** `attempt` counts continuations of this pause: 2 and up recover one whose process died (see the node's claim). */
async function resumeLeased(spec: AgentSpec, snapshot: Snapshot, decisions: readonly Decision[], deps: EngineDeps, { attempt, lease }: { attempt: number; lease: RunLease }): Promise<RunOutcome> {
	const context = { ...createRunContext(spec, snapshot.runId, deps), system: snapshot.system };
	const decisionFor = checkResume(context.definition, context.tools, snapshot, decisions);
	const state: RunState = stateFromSnapshot(snapshot);
	lease.trackProgress(() => ({ turns: state.turns, usage: state.usage }));
	await deps.store.writeRunRecord({ runId: snapshot.runId, status: 'running', resumedFrom: snapshot.pauseId, attempt, turns: state.turns, usage: state.usage, process: deps.processLabel, resumedAt: new Date(deps.now()).toISOString() });
	const runSignal = createRunSignal(spec.limits.timeoutMs, deps);
	const decisionEntry: TranscriptEntry = { type: 'decisions', pauseId: snapshot.pauseId, decisions: [...decisions], process: deps.processLabel };
	try {
		const budget = snapshot.pending.find((call) => call.kind === 'budget');
		if (budget) {
			const decision = decisionFor.get(budget.toolCallId)!;
			const exceeded = budgetFailure(spec, state.usage, state.budgetGrants);
			if (decision.decision === 'reject' && exceeded) {
				await appendTurn(context, state, state.transcriptTurns + 1, [decisionEntry]);
				return await failRun(context, state, { ...exceeded, message: `${exceeded.message} A reviewer declined to raise it${decision.reason ? `: ${decision.reason}` : '.'}` });
			}
			state.budgetGrants += 1;
			// The budget paused either a turn's tool calls (they run now) or a repair request (the model gets it now).
			const start = state.messages.at(-1)?.role === 'assistant' ? 'last-tool-calls' : 'model';
			return await withEpisode(spec, taskOf(snapshot), await runLoop(context, state, [decisionEntry], runSignal, start), state);
		}
		const decided = await applyDecisions(context, snapshot.pending, decisionFor, runSignal);
		const resultMessage: Message = { role: 'user', content: inCallOrder(snapshot, [...snapshot.completedResults, ...decided]) };
		state.messages.push(resultMessage);
		return await withEpisode(spec, taskOf(snapshot), await runLoop(context, state, [decisionEntry, messageEntry(resultMessage)], runSignal), state);
	} finally {
		runSignal.dispose();
	}
}

/**
 * Throws a ResumeError when the decisions cannot be applied to this snapshot under this spec, before
 * anything runs: callers check first, then claim the pause, then resume.
 */
export function validateResume(spec: AgentSpec, snapshot: Snapshot, decisions: readonly Decision[]): void {
	checkResume(describeDefinition(spec), toolMap(spec.tools), snapshot, decisions);
}

function checkResume(definition: AgentDefinition, tools: ReadonlyMap<string, Tool>, snapshot: Snapshot, decisions: readonly Decision[]): Map<string, Decision> {
	const changes = definitionChanges(snapshot.definition, definition);
	if (changes.length > 0) {
		throw new ResumeError(
			`Run ${snapshot.runId} paused under another configuration of this node: ${changes.join('; ')}. Undo the change to continue it, or start a new run.`,
		);
	}
	const decisionFor = matchDecisions(snapshot.pending, decisions);
	for (const call of snapshot.pending) {
		const decision = decisionFor.get(call.toolCallId)!;
		if (decision.decision !== 'approve' || decision.arguments === undefined) continue;
		const validated = validateToolInput(tools.get(call.toolName)!, decision.arguments);
		if (!validated.ok) throw new ResumeError(`The edited arguments of call '${call.toolCallId}' do not fit tool '${call.toolName}': ${validated.message}`);
	}
	return decisionFor;
}

/** One decision per pending call, no more, no less, and of the right kind. */
function matchDecisions(pending: readonly PendingCall[], decisions: readonly Decision[]): Map<string, Decision> {
	const pendingById = new Map(pending.map((call) => [call.toolCallId, call]));
	const byId = new Map<string, Decision>();
	for (const decision of decisions) {
		const call = pendingById.get(decision.toolCallId);
		if (!call) throw new ResumeError(`There is no pending call '${decision.toolCallId}' in this pause. Pending: ${[...pendingById.keys()].join(', ')}.`);
		if (byId.has(decision.toolCallId)) throw new ResumeError(`Call '${decision.toolCallId}' has two decisions; send one.`);
		if (call.kind === 'question' && decision.decision === 'approve') throw new ResumeError(`Call '${decision.toolCallId}' is a question: answer it (or reject it) instead of approving it.`);
		if (call.kind !== 'question' && decision.decision === 'answer') throw new ResumeError(`Call '${decision.toolCallId}' needs approve or reject, not an answer.`);
		byId.set(decision.toolCallId, decision);
	}
	const missing = pending.filter((call) => !byId.has(call.toolCallId)).map((call) => call.toolCallId);
	if (missing.length > 0) throw new ResumeError(`Every pending call needs a decision; missing: ${missing.join(', ')}.`);
	return byId;
}

async function applyDecisions(context: RunContext, pending: readonly PendingCall[], decisionFor: Map<string, Decision>, runSignal: RunSignal): Promise<ToolResultPart[]> {
	const results = new Map<string, ToolResultPart>();
	const approved: Array<{ call: ToolCallPart; tool: NonNullable<ReturnType<RunContext['tools']['get']>>; input: unknown; edited: boolean }> = [];
	for (const call of pending) {
		const decision = decisionFor.get(call.toolCallId)!;
		if (decision.decision === 'answer') results.set(call.toolCallId, toolResult(call, decision.answer, false));
		else if (decision.decision === 'reject') results.set(call.toolCallId, toolResult(call, rejection(call, decision.reason), true));
		else {
			const tool = context.tools.get(call.toolName)!;
			const input = decision.arguments ?? call.input;
			const validated = validateToolInput(tool, input);
			if (!validated.ok) throw new ResumeError(`The edited arguments of call '${call.toolCallId}' do not fit tool '${call.toolName}': ${validated.message}`);
			approved.push({ call: { type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: validated.input }, tool, input: validated.input, edited: decision.arguments !== undefined });
		}
	}
	// A retried resume reaches calls that may already have run: the journal answers for them.
	const executed = await executeToolCalls(approved, executionOptions(context, runSignal, { consultJournal: true }));
	executed.forEach((result, index) => {
		const { edited, input } = approved[index];
		const note = edited ? `The reviewer edited the arguments before approving; the call ran with ${JSON.stringify(input)}.\n` : '';
		results.set(result.toolCallId, { ...result, output: `${note}${result.output}` });
	});
	return pending.map((call) => results.get(call.toolCallId)!);
}

function rejection(call: PendingCall, reason: string | undefined): string {
	const because = reason?.trim() ? `: ${reason.trim()}` : '.';
	if (call.kind === 'question') return `The human declined to answer${because}`;
	return `The reviewer rejected this call, so it did not run${because} Do not retry it unless asked to.`;
}

/** The run's task: the text of its first message. */
function taskOf(snapshot: Snapshot): string {
	return snapshot.task ?? extractText(snapshot.messages[0]);
}

/** Tool results in the order the model made the calls, as providers require. */
function inCallOrder(snapshot: Snapshot, results: ToolResultPart[]): ToolResultPart[] {
	const lastAssistant = [...snapshot.messages].reverse().find((message) => message.role === 'assistant');
	const order = lastAssistant?.content.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : [])) ?? [];
	const byId = new Map(results.map((result) => [result.toolCallId, result]));
	return order.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
