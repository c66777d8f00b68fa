import { z } from 'zod/v4';

import { runStatusAt, type RunRecord, type Snapshot } from '../engine';
import { createRunStore, type BlobStore } from '../storage';
import { continuationAttemptOf, continuationKey, continuationsFolder, journalFolder, journalKey, transcriptFolder, transcriptTurnKey, type RunLocation } from '../storage/keys';
import { parseStoredJson } from '../storage/stored-json';

/**
 * A stored claim on a pause (continuations/{pauseId}[.attempt-N].json): which execution claimed which
 * attempt, when, and for a recovery which stalled continuation it replaces.
 */
export const continuationClaimSchema = z.object({
	attempt: z.number().int().min(1),
	claimedAt: z.string(),
	executionId: z.string(),
	recovers: z
		.object({
			attempt: z.number().int().min(1),
			/** A claim that never got going: when it was made. */
			claimedAt: z.string().optional(),
			/** A continuation whose process died: the process and when its lease ran out. */
			process: z.string().optional(),
			leaseExpiresAt: z.string().optional(),
		})
		.optional(),
});

export type StoredContinuationClaim = z.infer<typeof continuationClaimSchema>;

export type ContinuationClaim = { ok: true; attempt: number } | { ok: false; message: string; description: string };

/**
 * Claims the right to continue a paused run, once. The first continuation claims attempt 1. If that
 * continuation stalled, the run can be continued from the same pause again under the next attempt:
 * - its process died while running (the run record stayed `running` past its lease), or
 * - it never got going (its claim is older than a lease and the run record still shows this pause,
 *   e.g. the process died, or storage failed, right after claiming),
 * but only while nothing it did after the pause could be repeated: it must not have made another
 * model turn or started a tool call other than the pause's own. Those calls are answered from the
 * journal (a call that started and never finished is not run again).
 */
export async function claimContinuation(store: BlobStore, location: RunLocation, snapshot: Snapshot, claimant: Claimant): Promise<ContinuationClaim> {
	const claim = (attempt: number, recovers?: StoredContinuationClaim['recovers']) => {
		const body: StoredContinuationClaim = { attempt, claimedAt: new Date(claimant.nowMs).toISOString(), executionId: claimant.executionId, ...(recovers ? { recovers } : {}) };
		return store.put(continuationKey(location, snapshot.pauseId, attempt), JSON.stringify(body), { ifAbsent: true, contentType: 'application/json' });
	};
	if ((await claim(1)).written) return { ok: true, attempt: 1 };

	const stall = await findStall(store, location, snapshot, claimant);
	if (!stall.stalled) return { ok: false, message: `Paused run ${snapshot.runId} was already continued from this pause`, description: stall.description };
	const progress = await stepsAfterPause(store, location, snapshot);
	if (progress.length > 0) {
		return {
			ok: false,
			message: `Paused run ${snapshot.runId} was interrupted after it went past this pause`,
			description: `The continuation (${stall.who}) stopped after ${progress.join(' and ')}. Continuing again could repeat those steps, so it is not done: check what they did, then start a new run.`,
		};
	}
	// Two executions recovering at once claim the same next attempt, and one wins.
	const recovery = await claim(stall.nextAttempt, stall.recovers);
	if (!recovery.written) {
		return { ok: false, message: `Paused run ${snapshot.runId} was already continued from this pause`, description: `Another execution claimed its recovery (attempt ${stall.nextAttempt}) already; its run record will show how that went.` };
	}
	return { ok: true, attempt: stall.nextAttempt };
}

type Claimant = { executionId: string; nowMs: number; leaseMs: number };

type Stall = { stalled: true; nextAttempt: number; who: string; recovers: NonNullable<StoredContinuationClaim['recovers']> } | { stalled: false; description: string };

/**
 * Whether the continuation that holds this pause's latest claim stalled. The run record tells how
 * far the continuations got: still paused here (none started), or running from here under some
 * attempt. A claim newer than that attempt never started; it stalled once it is older than a lease.
 */
async function findStall(store: BlobStore, location: RunLocation, snapshot: Snapshot, claimant: Claimant): Promise<Stall> {
	const record = await createRunStore(store, location).readRunRecord();
	if (record === undefined) return { stalled: false, description: 'A decision is applied once. Check the run record or transcript for what happened.' };
	const status = runStatusAt(record, claimant.nowMs);
	let startedAttempt: number;
	if (record.status === 'paused' && record.pauseId === snapshot.pauseId) startedAttempt = 0;
	else if (status === 'interrupted' && record.resumedFrom === snapshot.pauseId) startedAttempt = record.attempt ?? 1;
	else if (status === 'interrupted') {
		return { stalled: false, description: `The run was interrupted later, after it went on from another pause (${record.resumedFrom ?? 'none'}); continue that pause instead.` };
	} else return { stalled: false, description: `A decision is applied once. ${describeStatus(record, status)}` };

	const latest = await latestClaim(store, location, snapshot.pauseId);
	if (latest !== undefined && latest.attempt > startedAttempt) {
		const { body } = latest;
		const claimedAt = Date.parse(body?.claimedAt ?? '');
		if (!(claimedAt + claimant.leaseMs <= claimant.nowMs)) {
			return { stalled: false, description: `A decision is applied once. Execution ${body?.executionId ?? '(unknown)'} claimed this pause at ${body?.claimedAt ?? '(unknown)'} and is starting it.` };
		}
		return { stalled: true, nextAttempt: latest.attempt + 1, who: `execution ${body?.executionId ?? '(unknown)'}`, recovers: { attempt: latest.attempt, claimedAt: body?.claimedAt } };
	}
	if (startedAttempt === 0) return { stalled: false, description: 'A decision is applied once. Check the run record or transcript for what happened.' };
	return { stalled: true, nextAttempt: startedAttempt + 1, who: `process ${record.process ?? '(unknown)'}`, recovers: { attempt: startedAttempt, process: record.process, leaseExpiresAt: record.leaseExpiresAt } };
}

/** The highest-numbered claim on this pause, with its stored body (absent if it vanished after the listing). */
export async function latestClaim(store: BlobStore, location: RunLocation, pauseId: string): Promise<{ attempt: number; body?: StoredContinuationClaim } | undefined> {
	const attempts = (await store.list(continuationsFolder(location))).flatMap((key) => continuationAttemptOf(location, pauseId, key) ?? []);
	if (attempts.length === 0) return undefined;
	const attempt = Math.max(...attempts);
	const key = continuationKey(location, pauseId, attempt);
	const body = await store.get(key);
	return { attempt, body: body === undefined ? undefined : parseStoredJson(body.toString('utf8'), key, continuationClaimSchema, 'a continuation claim') };
}

function describeStatus(record: RunRecord, status: string): string {
	if (status === 'running') return `It is being continued right now by ${record.process ?? 'another process'} (lease until ${record.leaseExpiresAt ?? 'unknown'}).`;
	return `The run record says ${status}${record.process ? ` (written by ${record.process})` : ''}.`;
}

/** What the run stored after its pause: turn objects past the paused turn, journal entries of calls the snapshot does not know. */
export async function stepsAfterPause(store: BlobStore, location: RunLocation, snapshot: Snapshot): Promise<string[]> {
	const knownTurns = new Set(Array.from({ length: snapshot.transcriptTurns ?? snapshot.turns }, (_, index) => transcriptTurnKey(location, index + 1)));
	const laterTurns = (await store.list(transcriptFolder(location))).filter((key) => key.endsWith('.ndjson') && !knownTurns.has(key));
	const knownCalls = snapshot.messages.flatMap((message) => message.content.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : [])));
	const knownJournal = new Set(knownCalls.flatMap((id) => [journalKey(location, id, 'intent'), journalKey(location, id, 'result')]));
	const laterCalls = (await store.list(journalFolder(location))).filter((key) => !knownJournal.has(key));
	return [
		...(laterTurns.length > 0 ? [`${laterTurns.length} more model turn(s)`] : []),
		...(laterCalls.length > 0 ? [`starting ${new Set(laterCalls.map((key) => key.replace(/\.(intent|result)\.json$/, ''))).size} tool call(s) the pause did not ask about`] : []),
	];
}
