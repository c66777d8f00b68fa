import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { createOpenAICompatibleModel, readSnapshot, resumeAgent, runAgent, systemDeps, type AgentSpec, type LanguageModel, type Tool } from '../../lib/engine';
import { createRunStore, type BlobStore } from '../../lib/storage';
import { loopScenario, lookupOutput } from '../loop-overhead/scenario';
import { countingBlobStore } from '../support/counting-blob-store';
import { median } from '../support/statistics';

/** What one run that pauses at its last tool-calling turn, and its resume, measured. */
export type PauseResumeSample = {
	/** Bytes of the stored snapshot. */
	snapshotBytes: number;
	/** From the pausing turn's model response to the paused outcome. */
	pauseMs: number;
	/** The snapshot's put alone (part of pauseMs). */
	snapshotWriteMs: number;
	/** Median over the run's ordinary turns: from a model response to the next model call. */
	ordinaryTurnMs: number;
	/** Fetching the snapshot and checking it (hash, schema): what resuming starts with. */
	readMs: number;
	/** From the start of the resume (snapshot fetch) to the resumed run's first model call. */
	resumeToModelCallMs: number;
	/** From the start of the resume to the done outcome: one more model call and the final turn's writes. */
	resumeToDoneMs: number;
};

/** Model calls and responses with their times, to cut the run into the spans measured. */
type CallLog = { calledAt: number[]; respondedAt: number[] };

function loggingModel(model: LanguageModel, log: CallLog): LanguageModel {
	return {
		provider: model.provider,
		modelId: model.modelId,
		supportsStructuredOutput: model.supportsStructuredOutput,
		async generate(request) {
			log.calledAt.push(performance.now());
			const response = await model.generate(request);
			log.respondedAt.push(performance.now());
			return response;
		},
	};
}

/**
 * The loop scenario's agent with its lookup tool gated for the call of step `pausingTurn`: the
 * instant server asks for step n at turn n, so the run pauses at that turn on a real approval gate
 * (a `when` policy) while the server drives the run unchanged.
 */
function pausingAgentSpec(model: LanguageModel, pausingTurn: number): AgentSpec {
	const gatedQuery = `details for step ${pausingTurn}`;
	const lookupTool: Tool = {
		...loopScenario.tool,
		concurrencySafe: true,
		approval: { type: 'when', condition: '{{ $args.query === gatedQuery }}', evaluate: (input) => (input as { query?: unknown }).query === gatedQuery },
		execute: async (input) => lookupOutput(input),
	};
	return {
		model,
		instructions: loopScenario.system,
		tools: [lookupTool],
		output: { type: 'text' },
		limits: { maxTurns: pausingTurn + 1, toolConcurrency: 4, maxOutputTokensPerTurn: loopScenario.maxOutputTokens },
		retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 1000 },
	};
}

/**
 * One run of `pausingTurn` turns against the instant server (`toolTurns` = `pausingTurn`): the last
 * turn's call needs approval and the run pauses; then it is resumed with an approval, the way the
 * node continues a run: fetch the snapshot by its key, check it against the pause's hash, resume
 * with a fresh run store on the same storage. The resumed call runs and the model answers.
 */
export async function pauseAndResume(baseUrl: string, blobStore: BlobStore, pausingTurn: number): Promise<PauseResumeSample> {
	const log: CallLog = { calledAt: [], respondedAt: [] };
	const adapter = createOpenAICompatibleModel({ apiKey: loopScenario.apiKey, baseUrl, modelId: loopScenario.modelId });
	const spec = pausingAgentSpec(loggingModel(adapter, log), pausingTurn);
	// Fixed-length ids keep the snapshot size the same from run to run.
	const runId = `bench-pause-${randomUUID()}`;
	const location = { prefix: 'bench', workflowId: 'bench', executionId: 'pause', nodeId: 'agent', runId };
	const counting = countingBlobStore(blobStore, () => log.calledAt.length);

	const outcome = await runAgent(spec, { runId, task: loopScenario.task }, systemDeps(createRunStore(counting.store, location)));
	const pausedAt = performance.now();
	if (outcome.status !== 'paused' || outcome.turns !== pausingTurn) {
		throw new Error(`The run should have paused at turn ${pausingTurn}; it ended '${outcome.status}' after ${outcome.turns} turns.`);
	}
	const snapshotWrite = counting.writes.find((write) => write.kind === 'snapshot');
	if (snapshotWrite === undefined) throw new Error('The paused run stored no snapshot.');
	const ordinaryTurns = log.calledAt.slice(1).map((calledAt, index) => calledAt - log.respondedAt[index]);

	const resumeStarted = performance.now();
	const body = await blobStore.get(outcome.pause.snapshotKey);
	if (body === undefined) throw new Error(`No snapshot at ${outcome.pause.snapshotKey}.`);
	const parsed = readSnapshot(body, outcome.pause.snapshotHash);
	if (!parsed.ok) throw new Error(parsed.message);
	const read = performance.now();
	const decisions = outcome.pause.pending.map((call) => ({ toolCallId: call.toolCallId, decision: 'approve' as const }));
	const resumed = await resumeAgent(spec, parsed.snapshot, decisions, systemDeps(createRunStore(blobStore, location)));
	const done = performance.now();
	if (resumed.status !== 'done' || resumed.turns !== pausingTurn + 1) {
		throw new Error(`The resumed run should have answered at turn ${pausingTurn + 1}; it ended '${resumed.status}' after ${resumed.turns} turns.`);
	}

	return {
		snapshotBytes: snapshotWrite.bytes,
		pauseMs: pausedAt - log.respondedAt[pausingTurn - 1],
		snapshotWriteMs: snapshotWrite.milliseconds,
		ordinaryTurnMs: median(ordinaryTurns),
		readMs: read - resumeStarted,
		resumeToModelCallMs: log.calledAt[pausingTurn] - resumeStarted,
		resumeToDoneMs: done - resumeStarted,
	};
}
