import type { BlobStore } from './blob-store';
import { StorageError } from './blob-store';
import { createHash } from 'node:crypto';

import type { RunLocation } from './keys';
import { journalKey, runRecordKey, snapshotKey, toolOutputKey, transcriptFolder, transcriptTurnKey } from './keys';

/** Persistence of one agent run: its per-turn transcript and its run record. */
export type RunStore = {
	/** Human-readable location of the transcript, e.g. s3://bucket/…/transcript/ */
	readonly transcriptLocation: string;
	/**
	 * Writes one NDJSON object for this turn: one line per entry (JSON.stringify each). Constant cost per
	 * turn: never rewrites earlier turns. Turn numbers start at 1. Writing the same turn twice
	 * overwrites that turn's object (a retried turn).
	 */
	appendTurn(turn: number, entries: readonly unknown[]): Promise<void>;
	/** Replaces the small run record (status, usage, output…): one small object. */
	writeRunRecord(record: unknown): Promise<void>;
	/** Reads back the whole transcript in turn order (for tests, resume and humans). */
	readTranscript(): Promise<unknown[]>;
	readRunRecord(): Promise<unknown | undefined>;
	/** Stores a pause's snapshot (never overwritten: pause ids are unique); returns its key and SHA-256. */
	writeSnapshot(pauseId: string, body: string): Promise<{ key: string; hash: string }>;
	/**
	 * Stores the whole output of a tool call too large for the model's context; returns the reference
	 * the model reads it back with. The reference is the tool call id: it names outputs of this run only.
	 */
	writeToolOutput(toolCallId: string, text: string): Promise<string>;
	/** A stored tool output by its reference; undefined when this run stored nothing under it. */
	readToolOutput(reference: string): Promise<string | undefined>;
	/** Intent before and result after every tool call, one small object each. */
	journal: {
		recordIntent(toolCallId: string, intent: { toolName: string; input: unknown }): Promise<void>;
		recordResult<Result>(toolCallId: string, result: Result): Promise<void>;
		read<Result>(toolCallId: string): Promise<{ started: boolean; result?: Result }>;
	};
};

/** How many turn objects readTranscript fetches at once: fast on S3 without flooding it. */
const readConcurrency = 16;

/** A RunStore for the run at `location`, on any BlobStore. */
export function createRunStore(store: BlobStore, location: RunLocation): RunStore {
	const transcriptPrefix = transcriptFolder(location);
	const recordKey = runRecordKey(location);

	return {
		transcriptLocation: `${store.location}/${transcriptPrefix}`,

		async appendTurn(turn: number, entries: readonly unknown[]): Promise<void> {
			const key = transcriptTurnKey(location, turn);
			const lines = entries.map((entry, index) => serializeEntry(entry, `entry ${index} of turn ${turn}`));
			await store.put(key, lines.map((line) => `${line}\n`).join(''), { contentType: 'application/x-ndjson' });
		},

		async writeRunRecord(record: unknown): Promise<void> {
			await store.put(recordKey, `${serializeEntry(record, 'the run record')}\n`, { contentType: 'application/json' });
		},

		async readTranscript(): Promise<unknown[]> {
			const turnKeys = (await store.list(transcriptPrefix)).filter((key) => key.endsWith('.ndjson'));
			const entries: unknown[] = [];
			for (let start = 0; start < turnKeys.length; start += readConcurrency) {
				const batch = turnKeys.slice(start, start + readConcurrency);
				const bodies = await Promise.all(batch.map((key) => store.get(key)));
				batch.forEach((key, index) => {
					const body = bodies[index];
					// A turn deleted between list and get is simply no longer part of the transcript.
					if (body !== undefined) entries.push(...parseNdjson(body.toString('utf8'), key));
				});
			}
			return entries;
		},

		async readRunRecord(): Promise<unknown | undefined> {
			const body = await store.get(recordKey);
			return body === undefined ? undefined : parseJson(body.toString('utf8'), recordKey);
		},

		async writeSnapshot(pauseId: string, body: string): Promise<{ key: string; hash: string }> {
			const key = snapshotKey(location, pauseId);
			const written = await store.put(key, body, { ifAbsent: true, contentType: 'application/json' });
			if (!written.written) throw new StorageError(`A snapshot already exists at ${key}; pause ids must be unique.`);
			return { key, hash: createHash('sha256').update(body).digest('hex') };
		},

		async writeToolOutput(toolCallId: string, text: string): Promise<string> {
			await store.put(toolOutputKey(location, toolCallId), text, { contentType: 'text/plain; charset=utf-8' });
			return toolCallId;
		},

		async readToolOutput(reference: string): Promise<string | undefined> {
			// The reference comes from the model: one that cannot name a key names no stored output.
			let key: string;
			try {
				key = toolOutputKey(location, reference);
			} catch {
				return undefined;
			}
			return (await store.get(key))?.toString('utf8');
		},

		journal: {
			async recordIntent(toolCallId, intent) {
				// Durable: an intent lost to a power cut would let the call run again after it.
				await store.put(journalKey(location, toolCallId, 'intent'), serializeEntry(intent, `the intent of tool call ${toolCallId}`), { durable: true, contentType: 'application/json' });
			},
			async recordResult(toolCallId, result) {
				await store.put(journalKey(location, toolCallId, 'result'), serializeEntry(result, `the result of tool call ${toolCallId}`), { contentType: 'application/json' });
			},
			async read<Result>(toolCallId: string) {
				const resultKey = journalKey(location, toolCallId, 'result');
				const [intent, result] = await Promise.all([store.get(journalKey(location, toolCallId, 'intent')), store.get(resultKey)]);
				return {
					started: intent !== undefined || result !== undefined,
					result: result === undefined ? undefined : (parseJson(result.toString('utf8'), resultKey) as Result),
				};
			},
		},
	};
}

function serializeEntry(value: unknown, what: string): string {
	const text = JSON.stringify(value);
	// JSON.stringify returns undefined for undefined, functions and symbols: they would not read back.
	if (text === undefined) throw new Error(`Cannot store ${what}: it is not a JSON value.`);
	return text;
}

function parseNdjson(text: string, key: string): unknown[] {
	return text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [parseJson(line, `${key} line ${index + 1}`)]));
}

function parseJson(text: string, source: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new StorageError(`Stored object ${source} is not valid JSON; it was changed outside n8n. Restore it or delete the run.`, { cause: error });
	}
}
