import { createHash } from 'node:crypto';

import { runRecordSchema, type RunRecord } from '../engine/run-record';
import { journalResultSchema, type RunStore } from '../engine/run-store';
import { transcriptEntrySchema, type TranscriptEntry } from '../engine/transcript-entry';
import type { BlobStore } from './blob-store';
import { StorageError } from './blob-store';
import type { RunLocation } from './keys';
import { attachmentKey, journalKey, runRecordKey, snapshotKey, toolOutputKey, transcriptFolder, transcriptTurnKey } from './keys';
import { parseStoredJson } from './stored-json';

/**
 * The engine's RunStore port on a BlobStore, which also reads a run back (for tests, resume and
 * humans). Transcript turns are NDJSON objects, one line per entry, one object per turn: constant
 * cost per turn, earlier turns never rewritten. Turn numbers start at 1; writing the same turn twice
 * overwrites that turn's object (a retried turn). Every read goes through the stored shape's schema.
 */
export type ReadableRunStore = RunStore & {
	/** The whole transcript in turn order. */
	readTranscript(): Promise<TranscriptEntry[]>;
	readRunRecord(): Promise<RunRecord | undefined>;
};

/** How many turn objects readTranscript fetches at once: fast on S3 without flooding it. */
const readConcurrency = 16;

/** A RunStore for the run at `location`, on any BlobStore. */
export function createRunStore(store: BlobStore, location: RunLocation): ReadableRunStore {
	const transcriptPrefix = transcriptFolder(location);
	const recordKey = runRecordKey(location);

	return {
		transcriptLocation: `${store.location}/${transcriptPrefix}`,

		async appendTurn(turn, entries) {
			const key = transcriptTurnKey(location, turn);
			const lines = entries.map((entry, index) => serializeEntry(entry, `entry ${index} of turn ${turn}`));
			await store.put(key, lines.map((line) => `${line}\n`).join(''), { contentType: 'application/x-ndjson' });
		},

		async writeRunRecord(record) {
			await store.put(recordKey, `${serializeEntry(record, 'the run record')}\n`, { contentType: 'application/json' });
		},

		async readTranscript() {
			const turnKeys = (await store.list(transcriptPrefix)).filter((key) => key.endsWith('.ndjson'));
			const entries: TranscriptEntry[] = [];
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

		async readRunRecord() {
			const body = await store.get(recordKey);
			return body === undefined ? undefined : parseStoredJson(body.toString('utf8'), recordKey, runRecordSchema, 'a run record');
		},

		async writeSnapshot(pauseId, body) {
			const key = snapshotKey(location, pauseId);
			const written = await store.put(key, body, { ifAbsent: true, contentType: 'application/json' });
			if (!written.written) throw new StorageError(`A snapshot already exists at ${key}; pause ids must be unique.`);
			return { key, hash: createHash('sha256').update(body).digest('hex') };
		},

		async writeToolOutput(toolCallId, text) {
			await store.put(toolOutputKey(location, toolCallId), text, { contentType: 'text/plain; charset=utf-8' });
			return toolCallId;
		},

		async readToolOutput(reference) {
			// The reference comes from the model: one that cannot name a key names no stored output.
			let key: string;
			try {
				key = toolOutputKey(location, reference);
			} catch {
				return undefined;
			}
			return (await store.get(key))?.toString('utf8');
		},

		async writeAttachment(data, mediaType) {
			const contentHash = createHash('sha256').update(data).digest('hex');
			const key = attachmentKey(location, contentHash);
			// Named by content: writing the same file again writes the same bytes.
			await store.put(key, Buffer.from(data.buffer, data.byteOffset, data.byteLength), { contentType: mediaType });
			return contentHash;
		},

		async readAttachment(reference) {
			// A reference that cannot name a key names no stored file.
			let key: string;
			try {
				key = attachmentKey(location, reference);
			} catch {
				return undefined;
			}
			return await store.get(key);
		},

		journal: {
			async recordIntent(toolCallId, intent) {
				// Durable: an intent lost to a power cut would let the call run again after it.
				await store.put(journalKey(location, toolCallId, 'intent'), serializeEntry(intent, `the intent of tool call ${toolCallId}`), { durable: true, contentType: 'application/json' });
			},
			async recordResult(toolCallId, result) {
				await store.put(journalKey(location, toolCallId, 'result'), serializeEntry(result, `the result of tool call ${toolCallId}`), { contentType: 'application/json' });
			},
			async read(toolCallId) {
				const resultKey = journalKey(location, toolCallId, 'result');
				const [intent, result] = await Promise.all([store.get(journalKey(location, toolCallId, 'intent')), store.get(resultKey)]);
				return {
					started: intent !== undefined || result !== undefined,
					result: result === undefined ? undefined : parseStoredJson(result.toString('utf8'), resultKey, journalResultSchema, 'a tool call result'),
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

/** The entries of one stored transcript object (the object at `key`), each read through the transcript entry schema. */
export function parseNdjson(text: string, key: string): TranscriptEntry[] {
	return text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [parseStoredJson(line, `${key} line ${index + 1}`, transcriptEntrySchema, 'a transcript entry')]));
}
