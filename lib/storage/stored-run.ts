import { parseSnapshot, snapshotSchemaVersion } from '../engine/pause/snapshot';
import type { RecordedRun } from '../engine/replay/recorded-run';
import { ReplayError } from '../engine/replay/replay-error';
import type { TranscriptEntry } from '../engine/transcript-entry';
import { UnreadableObjectError, type BlobStore } from './blob-store';
import { runFolder, runRecordKey, snapshotKey, transcriptFolder, transcriptTurnKey, workflowFolder, workflowObjectOf, type RunLocation } from './keys';
import { createRunStore, parseNdjson } from './run-store';

/**
 * A stored run read whole, for a replay: its record, every transcript object in turn order, and
 * read-only access to its files and large tool outputs. Refuses with a ReplayError when the run is
 * not there, when transcript objects are missing, when an object is not what this package wrote,
 * or when it paused into a snapshot of a version this package cannot read. Reads only.
 */
export async function readRecordedRun(store: BlobStore, location: RunLocation): Promise<RecordedRun> {
	const runStore = createRunStore(store, location);
	try {
		const record = await runStore.readRunRecord();
		if (record === undefined) {
			throw new ReplayError(
				'run_not_found',
				`No run ${location.runId} is stored at ${store.location}/${runFolder(location)}. Check the workflow, execution, node and run ids, and that this node's Storage is the one the run was stored in.`,
			);
		}
		const transcript = (await readTurnObjects(store, location)).flat();
		await checkSnapshots(store, location, transcript);
		return { record, transcript, reads: { readAttachment: runStore.readAttachment, readToolOutput: runStore.readToolOutput } };
	} catch (error) {
		if (error instanceof UnreadableObjectError) throw new ReplayError('run_unreadable', `Run ${location.runId} cannot be replayed: ${error.message}`);
		throw error;
	}
}

/** The entries of a run's first transcript object (the task and the first turn); empty when it has none yet. */
export async function readFirstTurn(store: BlobStore, location: RunLocation): Promise<TranscriptEntry[]> {
	const key = transcriptTurnKey(location, 1);
	const body = await store.get(key);
	return body === undefined ? [] : parseNdjson(body.toString('utf8'), key);
}

/**
 * The run a transcript location names (the `transcript` of a Done item: the store's location, then
 * the run's transcript folder); undefined when it is not a run's transcript in this store and prefix.
 */
export function runLocationOfTranscript(store: BlobStore, prefix: string, transcript: string): RunLocation | undefined {
	const start = `${store.location}/`;
	const suffix = 'transcript/';
	if (!transcript.startsWith(start) || !transcript.endsWith(suffix)) return undefined;
	const recordKey = `${transcript.slice(start.length, -suffix.length)}run.json`;
	// Every workflow folder starts alike; the workflow's id is the next segment.
	const workflowsFolder = workflowFolder(prefix, 'x').slice(0, -'x/'.length);
	if (!recordKey.startsWith(workflowsFolder)) return undefined;
	let workflowId: string;
	try {
		workflowId = decodeURIComponent(recordKey.slice(workflowsFolder.length).split('/')[0]);
	} catch {
		return undefined;
	}
	if (workflowId === '') return undefined;
	const object = workflowObjectOf(prefix, workflowId, recordKey);
	return object.kind === 'run-record' && runRecordKey(object.location) === recordKey ? object.location : undefined;
}

/** Every transcript object of the run, in turn order; a gap in the numbering means turns are missing. */
async function readTurnObjects(store: BlobStore, location: RunLocation): Promise<TranscriptEntry[][]> {
	const folder = transcriptFolder(location);
	const turns = (await store.list(folder))
		.map((key) => ({ key, turn: Number(key.slice(folder.length, -'.ndjson'.length)) }))
		.filter(({ key, turn }) => Number.isInteger(turn) && turn >= 1 && key === transcriptTurnKey(location, turn))
		.sort((a, b) => a.turn - b.turn);
	const missing = turns.flatMap(({ turn }, index) => (turn === index + 1 ? [] : [index + 1]));
	if (missing.length > 0) {
		throw new ReplayError('run_incomplete', `Transcript object ${missing[0]} of run ${location.runId} is missing from ${store.location}/${folder}: the run cannot be replayed faithfully. Restore it, or replay another run.`);
	}
	const objects: TranscriptEntry[][] = [];
	for (const { key } of turns) {
		const body = await store.get(key);
		if (body === undefined) throw new ReplayError('run_incomplete', `Transcript object ${key} was deleted while it was read: replay the run again once nothing deletes it.`);
		objects.push(parseNdjson(body.toString('utf8'), key));
	}
	return objects;
}

/** Every pause of the run left a snapshot; one this package cannot read means a newer package (or something else) wrote the run. */
async function checkSnapshots(store: BlobStore, location: RunLocation, transcript: readonly TranscriptEntry[]): Promise<void> {
	for (const entry of transcript) {
		if (entry.type !== 'paused') continue;
		const key = snapshotKey(location, entry.pauseId);
		const body = await store.get(key);
		if (body === undefined) continue;
		const parsed = parseSnapshot(body.toString('utf8'));
		if (parsed.ok) continue;
		if (versionOf(body) !== snapshotSchemaVersion) throw new ReplayError('snapshot_unsupported', `Run ${location.runId} cannot be replayed: its snapshot ${key} is not one this package reads. ${parsed.message}`);
		throw new ReplayError('run_unreadable', `Run ${location.runId} cannot be replayed: its snapshot ${key} is unreadable. ${parsed.message}`);
	}
}

function versionOf(body: Buffer): unknown {
	try {
		return (JSON.parse(body.toString('utf8')) as { schemaVersion?: unknown } | null)?.schemaVersion;
	} catch {
		return undefined;
	}
}
