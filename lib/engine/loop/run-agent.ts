import type { AgentSpec, EngineDeps, RunInput } from '../agent-spec';
import { emptyUsage, type Message } from '../model/messages';
import type { RunOutcome } from '../run-outcome';
import { checkInputFiles } from '../files/file-limits';
import { createRunContext, type RunState } from './run-context';
import { messageEntry } from '../transcript-entry';
import { runLoop, withEpisode } from './run-loop';
import { leaseRunRecords, type RunLease } from './run-lease';
import { createRunSignal } from './run-signal';

/**
 * Runs the agent until it answers, pauses for a human, fails a limit, or the provider fails for
 * good. Storage errors and invalid configuration throw; everything else is a `RunOutcome`.
 */
export async function runAgent(spec: AgentSpec, input: RunInput, engineDeps: EngineDeps): Promise<RunOutcome> {
	const lease = leaseRunRecords(engineDeps);
	const deps = { ...engineDeps, store: lease.store };
	try {
		return await runLeased(spec, input, deps, lease);
	} finally {
		lease.dispose();
	}
}

async function runLeased(spec: AgentSpec, input: RunInput, deps: EngineDeps, lease: RunLease): Promise<RunOutcome> {
	checkInputFiles(input.files ?? [], [spec.model, ...(spec.fallbackModel ? [spec.fallbackModel] : [])]);
	const memoryBlock = spec.memory ? await spec.memory.promptBlock(input.task) : '';
	const context = createRunContext(spec, input.runId, deps, memoryBlock);
	// Files are stored once, before the run is under way: messages, transcript and snapshots hold only
	// references. They come before the text, as Anthropic's vision guide recommends.
	const task: Message = { role: 'user', content: [...(await context.files.save(input.files ?? [])), { type: 'text', text: input.task }] };
	const history = input.history ?? [];
	const state: RunState = { task: input.task, messages: [...history, task], usage: emptyUsage(), turns: 0, transcriptTurns: 0, repairTurnsUsed: 0, budgetGrants: 0 };
	lease.trackProgress(() => ({ turns: state.turns, usage: state.usage }));
	await deps.store.writeRunRecord({ runId: input.runId, status: 'running', turns: 0, usage: state.usage, process: deps.processLabel, startedAt: new Date(deps.now()).toISOString() });
	const runSignal = createRunSignal(spec.limits.timeoutMs, deps);
	try {
		return await withEpisode(spec, input.task, await runLoop(context, state, [...history, task].map(messageEntry), runSignal), state);
	} finally {
		runSignal.dispose();
	}
}
