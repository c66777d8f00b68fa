import { runRecordSchema, transcriptEntrySchema, type RunRecord, type RunStore, type TranscriptEntry } from '../../lib/engine';
import type { ToolResultPart } from '../../lib/engine/model/messages';
import { parseSnapshot, sha256, type Snapshot } from '../../lib/engine/pause/snapshot';

/**
 * A RunStore that keeps what the engine wrote, for assertions, as the real store would read it back:
 * through JSON and the stored shapes' schemas. Journal entries can be pre-seeded.
 */
export type RecordingRunStore = RunStore & {
	turns: Map<number, TranscriptEntry[]>;
	records: RunRecord[];
	snapshots: Map<string, string>;
	intents: Map<string, { toolName: string; input: unknown }>;
	results: Map<string, ToolResultPart>;
	toolOutputs: Map<string, string>;
	/** Files sent with the task, by reference. */
	attachments: Map<string, Buffer>;
	/** The stored snapshot of a pause, parsed; throws when there is none or it does not parse. */
	snapshot(pauseId: string): Snapshot;
};

export function recordingRunStore(): RecordingRunStore {
	const turns = new Map<number, TranscriptEntry[]>();
	const records: RunRecord[] = [];
	const snapshots = new Map<string, string>();
	const intents = new Map<string, { toolName: string; input: unknown }>();
	const results = new Map<string, ToolResultPart>();
	const toolOutputs = new Map<string, string>();
	const attachments = new Map<string, Buffer>();
	return {
		transcriptLocation: 'memory://transcript/',
		turns,
		records,
		snapshots,
		intents,
		results,
		toolOutputs,
		attachments,
		snapshot(pauseId) {
			const body = snapshots.get(pauseId);
			if (body === undefined) throw new Error(`No snapshot was stored for pause ${pauseId}.`);
			const parsed = parseSnapshot(body);
			if (!parsed.ok) throw new Error(parsed.message);
			return parsed.snapshot;
		},
		async writeToolOutput(toolCallId, text) {
			toolOutputs.set(toolCallId, text);
			return toolCallId;
		},
		async readToolOutput(reference) {
			return toolOutputs.get(reference);
		},
		async writeAttachment(data) {
			const ref = sha256(Buffer.from(data));
			attachments.set(ref, Buffer.from(data));
			return ref;
		},
		async readAttachment(reference) {
			return attachments.get(reference);
		},
		async appendTurn(turn, entries) {
			turns.set(turn, entries.map((entry) => transcriptEntrySchema.parse(JSON.parse(JSON.stringify(entry)))));
		},
		async writeRunRecord(record) {
			records.push(runRecordSchema.parse(JSON.parse(JSON.stringify(record))));
		},
		async writeSnapshot(pauseId, body) {
			snapshots.set(pauseId, body);
			return { key: `snapshots/${pauseId}.json`, hash: sha256(body) };
		},
		journal: {
			async recordIntent(toolCallId, intent) {
				intents.set(toolCallId, intent);
			},
			async recordResult(toolCallId, result) {
				results.set(toolCallId, result);
			},
			async read(toolCallId) {
				return { started: intents.has(toolCallId) || results.has(toolCallId), result: results.get(toolCallId) };
			},
		},
	};
}
