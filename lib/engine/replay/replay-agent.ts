import type { AgentSpec, EngineDeps } from '../agent-spec';
import { createRunContext, type RunState } from '../loop/run-context';
import { leaseRunRecords } from '../loop/run-lease';
import { runLoop } from '../loop/run-loop';
import { createRunSignal } from '../loop/run-signal';
import type { RunOutcome } from '../run-outcome';
import type { ReplayLink } from '../run-record';
import type { RunStore } from '../run-store';
import { messageEntry } from '../transcript-entry';
import { compareRuns, comparedOriginal, comparedOutcome, type RunComparison } from './compare-runs';
import { assistantTurns, conversationBefore, recordedMessages, recordedTask, usageBefore, type RecordedRun } from './recorded-run';
import { recordedToolResults } from './recorded-tool-results';
import { ReplayError } from './replay-error';
import { replayTools } from './replay-tools';

/**
 * What to replay: the new run's id, the turn to start from (0: the start; 2: keep the original's
 * first two turns and let the model take turn 3), and the tools whose calls may run for real when
 * the original never made them.
 */
export type ReplayOptions = { runId: string; fromTurn: number; safeTools: readonly string[] };

/** The replay's own outcome (a new run, with its own transcript) and how it compares with the original. */
export type ReplayOutcome = { outcome: RunOutcome; comparison: RunComparison };

/**
 * Re-runs a stored run with this spec — its model, instructions, tools and output — as a new run
 * that links to the original. Tool calls the original made get its results back and run nothing;
 * other calls run only for `safeTools` (see replay-tools.ts). A replay never pauses (no call waits
 * for a human; a spent budget fails it), keeps no memory (recording an episode or a chat exchange
 * would change what live runs see), and never writes to the original: its store is the new run's.
 */
export async function replayAgent(spec: AgentSpec, original: RecordedRun, options: ReplayOptions, engineDeps: EngineDeps): Promise<ReplayOutcome> {
	const messages = recordedMessages(original);
	checkReplayable(original, messages.length, assistantTurns(messages).length, options.fromTurn);
	const link: ReplayLink = { runId: original.record.runId, ...(original.record.transcript ? { transcript: original.record.transcript } : {}), fromTurn: options.fromTurn };
	const lease = leaseRunRecords({ ...engineDeps, store: replayStore(engineDeps.store, link, original.reads) });
	const deps: EngineDeps = { ...engineDeps, store: lease.store, streamText: undefined };
	try {
		const tools = replayTools(spec.tools, recordedToolResults(original.transcript), new Set(options.safeTools));
		const replaySpec: AgentSpec = { ...spec, tools: tools.tools, memory: undefined, conversation: undefined, limits: { ...spec.limits, onBudgetExceeded: 'fail' } };
		const context = createRunContext(replaySpec, options.runId, deps);
		const conversation = conversationBefore(messages, options.fromTurn);
		const state: RunState = {
			task: recordedTask(messages),
			messages: [...conversation],
			// The turns kept from the original count as this run's: turn numbers, limits and totals line up with the original's.
			usage: usageBefore(original.transcript, options.fromTurn),
			turns: options.fromTurn,
			transcriptTurns: 0,
			repairTurnsUsed: 0,
			budgetGrants: 0,
		};
		lease.trackProgress(() => ({ turns: state.turns, usage: state.usage }));
		await deps.store.writeRunRecord({ runId: options.runId, status: 'running', turns: state.turns, usage: state.usage, process: deps.processLabel, startedAt: new Date(deps.now()).toISOString() });
		const runSignal = createRunSignal(spec.limits.timeoutMs, deps);
		try {
			const outcome = await runLoop(context, state, conversation.map(messageEntry), runSignal);
			const comparison = compareRuns(
				{ run: comparedOriginal(original.record), messages },
				{ run: comparedOutcome(outcome), messages: state.messages },
				{ fromTurn: options.fromTurn, toolCalls: { ...tools.counts } },
			);
			return { outcome, comparison };
		} finally {
			runSignal.dispose();
		}
	} finally {
		lease.dispose();
	}
}

function checkReplayable(original: RecordedRun, messageCount: number, turns: number, fromTurn: number): void {
	const { record } = original;
	if (record.status === 'running') {
		throw new ReplayError('run_incomplete', `Run ${record.runId} has not ended or paused (its record says running, or it was interrupted): replay it once it is done, failed or paused.`);
	}
	if (messageCount === 0 || turns < record.turns) {
		throw new ReplayError(
			'run_incomplete',
			`The transcript of run ${record.runId} holds ${turns} of its ${record.turns} turns: turns are missing from storage, so it cannot be replayed faithfully. Restore the missing transcript objects, or replay another run.`,
		);
	}
	const lastTurn = Math.max(turns - 1, 0);
	if (!Number.isInteger(fromTurn) || fromTurn < 0 || fromTurn > lastTurn) {
		throw new ReplayError('turn_out_of_range', `Cannot replay run ${record.runId} from turn ${fromTurn}: it has ${turns} turn(s). Use 0 (the start) up to ${lastTurn}.`);
	}
}

/**
 * The new run's store, every record marked as a replay of the original. Files and large tool
 * outputs the copied messages refer to are read from the original when the new run has none:
 * reads only, so the original's objects stay as they were.
 */
function replayStore(store: RunStore, link: ReplayLink, originalReads: RecordedRun['reads']): RunStore {
	return {
		...store,
		writeRunRecord: (record) => store.writeRunRecord({ ...record, replayOf: link }),
		readAttachment: async (reference) => (await store.readAttachment(reference)) ?? (await originalReads?.readAttachment(reference)),
		readToolOutput: async (reference) => (await store.readToolOutput(reference)) ?? (await originalReads?.readToolOutput(reference)),
	};
}
