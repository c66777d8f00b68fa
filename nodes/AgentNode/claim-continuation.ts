import { runRecordSchema, runStatusAt, type RunRecord, type Snapshot } from '../../lib/engine';
import { continuationKey, createRunStore, journalFolder, journalKey, transcriptFolder, transcriptTurnKey, type BlobStore, type RunLocation } from '../../lib/storage';

export type ContinuationClaim = { ok: true; attempt: number } | { ok: false; message: string; description: string };

/**
 * Claims the right to continue a paused run, once. The first continuation claims attempt 1. If the
 * process that claimed it died (its run record stayed `running` past its lease), the run can be
 * recovered from the same pause under the next attempt, but only while nothing the dead process did
 * after the pause could be repeated: it must not have made another model turn or started a tool
 * call other than the pause's own. Those calls are answered from the journal (a call that started
 * and never finished is not run again).
 */
export async function claimContinuation(store: BlobStore, location: RunLocation, snapshot: Snapshot, claimant: { executionId: string; nowMs: number }): Promise<ContinuationClaim> {
	const claim = (attempt: number, extra: Record<string, unknown> = {}) =>
		store.put(continuationKey(location, snapshot.pauseId, attempt), JSON.stringify({ attempt, claimedAt: new Date(claimant.nowMs).toISOString(), executionId: claimant.executionId, ...extra }), {
			ifAbsent: true,
			contentType: 'application/json',
		});
	if ((await claim(1)).written) return { ok: true, attempt: 1 };

	const refused = (description: string): ContinuationClaim => ({ ok: false, message: `Paused run ${snapshot.runId} was already continued from this pause`, description });
	const record = runRecordSchema.safeParse(await createRunStore(store, location).readRunRecord());
	if (!record.success) return refused('A decision is applied once. Check the run record or transcript for what happened.');
	const status = runStatusAt(record.data, claimant.nowMs);
	if (status !== 'interrupted') return refused(`A decision is applied once. ${describeStatus(record.data, status)}`);
	if (record.data.resumedFrom !== snapshot.pauseId) {
		return refused(`The run was interrupted later, after it went on from another pause (${record.data.resumedFrom ?? 'none'}); continue that pause instead.`);
	}
	const progress = await stepsAfterPause(store, location, snapshot);
	if (progress.length > 0) {
		return {
			ok: false,
			message: `Paused run ${snapshot.runId} was interrupted after it went past this pause`,
			description: `The process ${record.data.process ?? '(unknown)'} stopped after ${progress.join(' and ')}. Continuing again could repeat those steps, so it is not done: check what they did, then start a new run.`,
		};
	}
	// The next attempt after the one that died: two executions recovering at once claim the same key, and one wins.
	const attempt = (record.data.attempt ?? 1) + 1;
	const recovery = await claim(attempt, { recovers: { attempt: attempt - 1, process: record.data.process, leaseExpiresAt: record.data.leaseExpiresAt } });
	if (!recovery.written) return refused(`Another execution claimed its recovery (attempt ${attempt}) already; its run record will show how that went.`);
	return { ok: true, attempt };
}

function describeStatus(record: RunRecord, status: string): string {
	if (status === 'running') return `It is being continued right now by ${record.process ?? 'another process'} (lease until ${record.leaseExpiresAt ?? 'unknown'}).`;
	return `The run record says ${status}${record.process ? ` (written by ${record.process})` : ''}.`;
}

/** What the run stored after its pause: turn objects past the paused turn, journal entries of calls the snapshot does not know. */
async function stepsAfterPause(store: BlobStore, location: RunLocation, snapshot: Snapshot): Promise<string[]> {
	const knownTurns = new Set(Array.from({ length: snapshot.turns }, (_, index) => transcriptTurnKey(location, index + 1)));
	const laterTurns = (await store.list(transcriptFolder(location))).filter((key) => key.endsWith('.ndjson') && !knownTurns.has(key));
	const knownCalls = snapshot.messages.flatMap((message) => message.content.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : [])));
	const knownJournal = new Set(knownCalls.flatMap((id) => [journalKey(location, id, 'intent'), journalKey(location, id, 'result')]));
	const laterCalls = (await store.list(journalFolder(location))).filter((key) => !knownJournal.has(key));
	return [
		...(laterTurns.length > 0 ? [`${laterTurns.length} more model turn(s)`] : []),
		...(laterCalls.length > 0 ? [`starting ${new Set(laterCalls.map((key) => key.replace(/\.(intent|result)\.json$/, ''))).size} tool call(s) the pause did not ask about`] : []),
	];
}
