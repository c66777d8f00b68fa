import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { askHumanTool, parseSnapshot, readSnapshot, resumeAgent, sha256, type AgentSpec, type Tool } from '../../../lib/engine';
import { fakeModel, textReply } from '../../support/fake-model';
import { recordingRunStore } from '../../support/recording-run-store';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'snapshots', name));

describe('frozen snapshot fixtures', () => {
	it('reads the version 1 fixture and continues the run it holds', async () => {
		const v1 = fixture('v1.json');
		const parsed = readSnapshot(v1, sha256(v1));
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.snapshot.pending.map((call) => [call.toolCallId, call.kind])).toEqual([['toolu_book_1', 'approval'], ['toolu_ask_1', 'question']]);

		const booked: unknown[] = [];
		const tools: Tool[] = [
			{ name: 'lookup', description: 'Looks up', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }, concurrencySafe: true, execute: async () => 'found: 3 flights' },
			{ name: 'book_flight', description: 'Books a flight', inputSchema: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] }, concurrencySafe: false, approval: { type: 'always' }, execute: async (input) => booked.push(input) },
			askHumanTool,
		];
		const spec: AgentSpec = {
			model: fakeModel([textReply('{"booked": true}')]),
			instructions: 'ignored on resume: the snapshot keeps its system prompt',
			tools,
			output: { type: 'json', schema: { type: 'object', properties: { booked: { type: 'boolean' } }, required: ['booked'] }, repairTurns: 1 },
			limits: { maxTurns: 5, toolConcurrency: 2, maxOutputTokensPerTurn: 100 },
			retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
		};
		const store = recordingRunStore();
		const outcome = await resumeAgent(spec, parsed.snapshot, [
			{ toolCallId: 'toolu_book_1', decision: 'approve' },
			{ toolCallId: 'toolu_ask_1', decision: 'answer', answer: 'Aisle' },
		], { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => 'unused' });

		expect(outcome).toMatchObject({ status: 'done', output: { booked: true }, runId: 'run-fixture-1', turns: 2 });
		expect(booked).toEqual([{ to: 'Rome' }]);
	});

	it('refuses a snapshot written by a newer version, saying to update the package', () => {
		const parsed = parseSnapshot(fixture('future-version.json').toString('utf8'));
		expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/schema version 2.*newer n8n-nodes-durable-agent: update the package/) });
	});

	it('refuses a snapshot whose bytes do not match the hash in the pause reference', () => {
		const parsed = readSnapshot(fixture('tampered.json'), sha256(fixture('v1.json')));
		expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/does not match the hash/) });
	});

	it('refuses prototype keys before anything else reads the snapshot', () => {
		const parsed = parseSnapshot(fixture('prototype-keys.json').toString('utf8'));
		expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/__proto__/) });
	});

	it('refuses corrupted bytes with a readable message', () => {
		expect(parseSnapshot('{"schemaVersion": 1, "runId": ')).toEqual({ ok: false, message: expect.stringMatching(/not valid JSON.*corrupted/) });
		expect(parseSnapshot('{"schemaVersion": 1}')).toEqual({ ok: false, message: expect.stringMatching(/not a valid version 1 snapshot/) });
	});
});
