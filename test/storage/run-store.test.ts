import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { RunRecord, TranscriptEntry, Usage } from '../../lib/engine';
import type { BlobStore, RunLocation } from '../../lib/storage';
import { StorageError, createLocalDiskStore, createMemoryStore, createRunStore, journalKey, runRecordKey, toolOutputKey, transcriptTurnKey } from '../../lib/storage';

type RecordedCall = { operation: 'get' | 'put' | 'list' | 'delete'; key: string; bytes?: number };

/** Wraps a store and records every call made through it. */
function recording(store: BlobStore): { store: BlobStore; calls: RecordedCall[] } {
	const calls: RecordedCall[] = [];
	const recordingStore: BlobStore = {
		location: store.location,
		get(key) {
			calls.push({ operation: 'get', key });
			return store.get(key);
		},
		put(key, body, options) {
			calls.push({ operation: 'put', key, bytes: Buffer.byteLength(body) });
			return store.put(key, body, options);
		},
		list(prefix) {
			calls.push({ operation: 'list', key: prefix });
			return store.list(prefix);
		},
		delete(key) {
			calls.push({ operation: 'delete', key });
			return store.delete(key);
		},
	};
	return { store: recordingStore, calls };
}

const location: RunLocation = { prefix: 'agents', workflowId: 'wf', executionId: '9', nodeId: 'node', runId: 'run-1' };

const usage = (inputTokens: number): Usage => ({ inputTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

const note = (text: string): TranscriptEntry => ({ type: 'message', message: { role: 'user', content: [{ type: 'text', text }] } });

function turnEntries(turn: number): TranscriptEntry[] {
	return [
		{ type: 'message', message: { role: 'assistant', content: [{ type: 'text', text: `thinking about step ${turn}\nwith a newline` }] } },
		{ type: 'usage', usage: usage(turn), stopReason: 'end-turn', modelId: 'model-1', usedFallback: false },
	];
}

const runRecord = (fields: Partial<RunRecord>): RunRecord => ({ runId: 'run-1', status: 'running', turns: 0, usage: usage(0), ...fields });

describe('run store', () => {
	it('writes each turn as its own object and adds exactly one object per new turn', async () => {
		const memory = createMemoryStore();
		const { store, calls } = recording(memory);
		const runStore = createRunStore(store, location);

		for (let turn = 1; turn <= 5; turn += 1) await runStore.appendTurn(turn, turnEntries(turn));
		await runStore.writeRunRecord(runRecord({ turns: 5 }));
		expect(await memory.list('agents/')).toHaveLength(6);

		calls.length = 0;
		await runStore.appendTurn(6, turnEntries(6));

		const expectedBody = turnEntries(6)
			.map((entry) => `${JSON.stringify(entry)}\n`)
			.join('');
		expect(calls).toEqual([{ operation: 'put', key: transcriptTurnKey(location, 6), bytes: Buffer.byteLength(expectedBody) }]);
		expect((await memory.get(transcriptTurnKey(location, 6)))?.toString()).toBe(expectedBody);
		expect(await memory.list('agents/')).toHaveLength(7);
	});

	it('asks the store to flush a tool call’s intent to the medium, and only that: it is what keeps a call from running twice after a power cut', async () => {
		const memory = createMemoryStore();
		const durableKeys: string[] = [];
		const store: BlobStore = { ...memory, location: memory.location, put: async (key, body, options) => (options?.durable && durableKeys.push(key), await memory.put(key, body, options)) };
		const runStore = createRunStore(store, location);

		await runStore.appendTurn(1, turnEntries(1));
		await runStore.journal.recordIntent('call_1', { toolName: 'get_weather', input: {} });
		await runStore.journal.recordResult('call_1', { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: 'sunny', isError: false });
		await runStore.writeRunRecord(runRecord({}));

		expect(durableKeys).toEqual([journalKey(location, 'call_1', 'intent')]);
	});

	it('reads the transcript back in turn order, past turn 9', async () => {
		const runStore = createRunStore(createMemoryStore(), location);
		const turns = [12, 3, 1, 10, 2, 11, 9];
		for (const turn of turns) await runStore.appendTurn(turn, turnEntries(turn));

		const transcript = await runStore.readTranscript();
		expect(transcript).toEqual([...turns].sort((left, right) => left - right).flatMap(turnEntries));
	});

	it('overwrites a retried turn instead of duplicating it', async () => {
		const runStore = createRunStore(createMemoryStore(), location);
		await runStore.appendTurn(1, [note('first')]);
		await runStore.appendTurn(2, [note('first'), note('extra')]);
		await runStore.appendTurn(2, [note('retry')]);

		expect(await runStore.readTranscript()).toEqual([note('first'), note('retry')]);
	});

	it('stores turns as NDJSON, one line per entry', async () => {
		const memory = createMemoryStore();
		await createRunStore(memory, location).appendTurn(1, [note('multi\nline'), { type: 'model-error', message: 'down' }]);

		expect((await memory.get(transcriptTurnKey(location, 1)))?.toString()).toBe(
			'{"type":"message","message":{"role":"user","content":[{"type":"text","text":"multi\\nline"}]}}\n{"type":"model-error","message":"down"}\n',
		);
	});

	it('keeps runs apart even when one run id is a prefix of another', async () => {
		const memory = createMemoryStore();
		await createRunStore(memory, location).appendTurn(1, [note('run 1')]);
		await createRunStore(memory, { ...location, runId: 'run-10' }).appendTurn(1, [note('run 10')]);

		expect(await createRunStore(memory, location).readTranscript()).toEqual([note('run 1')]);
	});

	it('round-trips the run record and replaces it on each write', async () => {
		const memory = createMemoryStore();
		const runStore = createRunStore(memory, location);
		expect(await runStore.readRunRecord()).toBeUndefined();

		await runStore.writeRunRecord(runRecord({ usage: usage(10) }));
		await runStore.writeRunRecord(runRecord({ status: 'done', usage: usage(25), output: { answer: 42 } }));

		expect(await runStore.readRunRecord()).toEqual(runRecord({ status: 'done', usage: usage(25), output: { answer: 42 } }));
		expect(await memory.list('agents/')).toEqual([runRecordKey(location)]);
	});

	it('refuses entries that would not read back as JSON', async () => {
		const runStore = createRunStore(createMemoryStore(), location);

		await expect(runStore.appendTurn(1, [note('ok'), undefined as unknown as TranscriptEntry])).rejects.toThrow('Cannot store entry 1 of turn 1: it is not a JSON value.');
		await expect(runStore.appendTurn(0, [])).rejects.toThrow(/turn must be a whole number/);
	});

	it('reports a transcript object that was corrupted outside n8n', async () => {
		const memory = createMemoryStore();
		const runStore = createRunStore(memory, location);
		await memory.put(transcriptTurnKey(location, 1), `${JSON.stringify(note('ok'))}\n{broken\n`);

		await expect(runStore.readTranscript()).rejects.toThrow(StorageError);
		await expect(runStore.readTranscript()).rejects.toThrow(`Stored object ${transcriptTurnKey(location, 1)} line 2 is not valid JSON`);
	});

	it('refuses stored JSON that is not what the run wrote there, naming the object and the field', async () => {
		const memory = createMemoryStore();
		const runStore = createRunStore(memory, location);
		await memory.put(transcriptTurnKey(location, 1), `${JSON.stringify({ type: 'message', message: { role: 'system', content: [] } })}\n`);
		await memory.put(runRecordKey(location), JSON.stringify({ runId: 'run-1', status: 'sleeping', turns: 1, usage: usage(1) }));
		await memory.put(journalKey(location, 'call_1', 'result'), JSON.stringify({ ok: true }));

		await expect(runStore.readTranscript()).rejects.toThrow(StorageError);
		await expect(runStore.readTranscript()).rejects.toThrow(`Stored object ${transcriptTurnKey(location, 1)} line 1 is not a transcript entry`);
		await expect(runStore.readRunRecord()).rejects.toThrow(new RegExp(`^Stored object ${runRecordKey(location)} is not a run record: .*status`, 's'));
		await expect(runStore.journal.read('call_1')).rejects.toThrow(
			new RegExp(`^Stored object ${journalKey(location, 'call_1', 'result')} is not a tool call result: .*restore it or delete the run\\.$`, 's'),
		);
	});

	it('reads a run record written by a newer package, leaving out the fields it does not know', async () => {
		const memory = createMemoryStore();
		await memory.put(runRecordKey(location), JSON.stringify({ ...runRecord({ turns: 2 }), addedLater: 'x' }));

		expect(await createRunStore(memory, location).readRunRecord()).toEqual(runRecord({ turns: 2 }));
	});

	it('names where the transcript lives', async () => {
		const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'run-store-'));
		try {
			const diskStore = createLocalDiskStore(folder);
			const runStore = createRunStore(diskStore, location);
			await runStore.appendTurn(1, [note('hello disk')]);

			expect(runStore.transcriptLocation).toBe(`${diskStore.location}/agents/workflows/wf/executions/9/nodes/node/runs/run-1/transcript/`);
			expect(await runStore.readTranscript()).toEqual([note('hello disk')]);
		} finally {
			await fs.rm(folder, { recursive: true, force: true });
		}
	});

	it('stores a large tool output as its own object and reads it back by the reference it returns', async () => {
		const memory = createMemoryStore();
		const { store, calls } = recording(memory);
		const runStore = createRunStore(store, location);
		const output = `résumé 📄 ${'row\n'.repeat(10_000)}`;

		const reference = await runStore.writeToolOutput('toolu_01/../x', output);

		expect(calls).toEqual([{ operation: 'put', key: toolOutputKey(location, 'toolu_01/../x'), bytes: Buffer.byteLength(output) }]);
		expect(await runStore.readToolOutput(reference)).toBe(output);
	});

	it('reads no tool output for a reference this run never returned, even one naming another run\'s', async () => {
		const memory = createMemoryStore();
		await createRunStore(memory, { ...location, runId: 'run-2' }).writeToolOutput('toolu_1', 'secret of run 2');
		const runStore = createRunStore(memory, location);

		expect(await runStore.readToolOutput('toolu_1')).toBeUndefined();
		expect(await runStore.readToolOutput(toolOutputKey({ ...location, runId: 'run-2' }, 'toolu_1'))).toBeUndefined();
		expect(await runStore.readToolOutput('')).toBeUndefined();
		expect(await runStore.readToolOutput('\ud800')).toBeUndefined();
	});
});
