import { systemDeps, type AgentSpec } from '../engine';
import { replayAgent, type ReplayOutcome } from '../engine/replay/replay-agent';
import type { ResumeStorage } from '../resume';
import { createRunStore } from '../storage';
import { readRecordedRun } from '../storage/stored-run';
import { runLocationOfSource } from './replay-source';

/**
 * One replay as a node asks for it: the run to replay (as an item gives it, see replay-source.ts),
 * the turn to start from, the tools safe to run, and where the new run lives (the replaying node's
 * workflow, execution and node, and a fresh run id).
 */
export type ReplayRequest = {
	storage: ResumeStorage;
	source: unknown;
	spec: AgentSpec;
	fromTurn: number;
	safeTools: readonly string[];
	replay: { workflowId: string; executionId: string; nodeId: string; runId: string };
	signal?: AbortSignal;
};

/**
 * Reads the stored run whole (refusing, with a ReplayError, one that is missing, incomplete,
 * unreadable or from a snapshot version this package cannot read) and replays it as a new run in
 * the replaying node's folder. The original's objects are only read.
 */
export async function replayStoredRun(request: ReplayRequest): Promise<ReplayOutcome> {
	const { storage } = request;
	const original = await readRecordedRun(storage.store, runLocationOfSource(storage, request.source));
	const store = createRunStore(storage.store, { prefix: storage.prefix, ...request.replay });
	return await replayAgent(request.spec, original, { runId: request.replay.runId, fromTurn: request.fromTurn, safeTools: request.safeTools }, systemDeps(store, request.signal));
}
