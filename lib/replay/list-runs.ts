import { z } from 'zod/v4';

import { mapWithConcurrency } from '../engine';
import { recordedTask } from '../engine/replay/recorded-run';
import { replayLinkSchema } from '../engine/run-record';
import { totalTokens } from '../engine/model/messages';
import { reportWorkflowRuns, type ResumeStorage, type RunReport, type RunSweep } from '../resume';
import { createRunStore, UnreadableObjectError } from '../storage';
import { readFirstTurn } from '../storage/stored-run';

/** How long the task excerpt of a listed run is, at most. */
const taskExcerptCharacters = 200;
const readConcurrency = 8;

/**
 * One stored run as List Runs gives it (an item that Replay Run takes as it is): where it lives,
 * its state (as Recover Runs reads it), an excerpt of its task, when it ended or paused (else
 * started), its turns, tokens and estimated cost. `replayOf`: set when the run is itself a replay.
 */
export const listedRunSchema = z.strictObject({
	workflowId: z.string(),
	executionId: z.string(),
	nodeId: z.string(),
	runId: z.string(),
	status: z.string(),
	task: z.string(),
	date: z.string().nullable(),
	turns: z.number().int().min(0),
	totalTokens: z.number().int().min(0),
	costUsd: z.number().min(0).nullable(),
	replayOf: replayLinkSchema.optional(),
});
export type ListedRun = z.infer<typeof listedRunSchema>;

/** Which runs to list: a workflow's (optionally one execution's), newest first, at most `limit`. `replayableOnly`: only done, failed and paused runs. `withReplays`: also the runs that are replays. */
export type RunListing = RunSweep & { limit: number; replayableOnly: boolean; withReplays: boolean };

/** The states a replay accepts: the run ended or waits at a pause, so its transcript is whole. */
const replayableStates: ReadonlySet<RunReport['state']> = new Set(['done', 'failed', 'paused', 'decided', 'decided-not-continued']);

/**
 * A workflow's stored runs, newest first, from the same sweep Recover Runs reads (lib/resume);
 * each run costs two more reads (its record and its first transcript object). A run whose objects
 * cannot be read is listed `unreadable`, without task or numbers.
 */
export async function listWorkflowRuns(storage: ResumeStorage, listing: RunListing): Promise<ListedRun[]> {
	const reports = (await reportWorkflowRuns(storage, listing)).filter((report) => !listing.replayableOnly || replayableStates.has(report.state));
	const runs = await mapWithConcurrency(reports, readConcurrency, async (report) => await listedRun(storage, report));
	return runs
		.filter((run) => listing.withReplays || run.replayOf === undefined)
		.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
		.slice(0, listing.limit);
}

async function listedRun(storage: ResumeStorage, report: RunReport): Promise<ListedRun> {
	const location = { prefix: storage.prefix, workflowId: report.workflowId, executionId: report.executionId, nodeId: report.nodeId, runId: report.runId };
	const ids = { workflowId: report.workflowId, executionId: report.executionId, nodeId: report.nodeId, runId: report.runId };
	try {
		const [record, firstTurn] = await Promise.all([createRunStore(storage.store, location).readRunRecord(), readFirstTurn(storage.store, location)]);
		const messages = firstTurn.flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));
		const task = recordedTask(messages);
		return {
			...ids,
			status: report.state,
			task: task.length > taskExcerptCharacters ? `${task.slice(0, taskExcerptCharacters)}…` : task,
			date: record?.endedAt ?? record?.pausedAt ?? record?.resumedAt ?? record?.startedAt ?? report.since ?? null,
			turns: record?.turns ?? 0,
			totalTokens: record ? totalTokens(record.usage) : 0,
			costUsd: record?.costUsd ?? null,
			...(record?.replayOf ? { replayOf: record.replayOf } : {}),
		};
	} catch (error) {
		if (!(error instanceof UnreadableObjectError)) throw error;
		return { ...ids, status: 'unreadable', task: '', date: report.since ?? null, turns: 0, totalTokens: 0, costUsd: null };
	}
}
