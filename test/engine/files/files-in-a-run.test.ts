import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { InputFileError, parseSnapshot, resumeAgent, runAgent, type AgentSpec, type EngineDeps, type InputFile, type RunOutcome, type Tool } from '../../../lib/engine';
import { createLocalDiskStore, createRunStore, type ReadableRunStore } from '../../../lib/storage';
import { adaptersUnderTest } from '../../support/llm-server/adapters';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

// Files in: an image and a PDF go to the model with the task, through the real SDKs on both wire
// formats. They are stored once per run; messages, transcript and snapshot hold references, and a
// paused run resumes with them.

let server: ScriptedLlmServer;
let folder: string;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
beforeEach(() => {
	folder = mkdtempSync(path.join(tmpdir(), 'files-in-a-run-'));
});
afterEach(() => {
	rmSync(folder, { recursive: true, force: true });
	expect(server.expectationFailures).toEqual([]);
	expect(server.remainingSteps()).toBe(0);
});

/** Bytes that start like the file type they claim to be; the scripted server does not decode them. */
function fakeFile(mediaType: InputFile['mediaType'], size: number, name?: string): InputFile {
	const magic = mediaType === 'application/pdf' ? Buffer.from('%PDF-1.7\n') : Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const data = Buffer.alloc(size);
	for (let index = 0; index < size; index += 1) data[index] = (index * 31 + size) % 251;
	magic.copy(data);
	return { mediaType, data, ...(name === undefined ? {} : { name }) };
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const invoice = fakeFile('image/png', 200_000, 'invoice.png');
const terms = fakeFile('application/pdf', 120_000, 'terms.pdf');

const bookings: unknown[] = [];
const bookTool: Tool = {
	name: 'book_payment',
	description: 'Schedules the payment of an invoice.',
	inputSchema: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
	concurrencySafe: false,
	approval: { type: 'always' },
	async execute(input) {
		bookings.push(input);
		return 'payment scheduled';
	},
};

function runStore(runId = 'run-1'): ReadableRunStore {
	return createRunStore(createLocalDiskStore(folder), { prefix: 'agent', workflowId: 'wf', executionId: 'ex', nodeId: 'node', runId });
}

function deps(store: ReadableRunStore): EngineDeps {
	let ids = 0;
	return { store, now: () => Date.parse('2026-12-07T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => `pause-${++ids}` };
}

describe.each(adaptersUnderTest)('$wire: files sent with the task', (adapter) => {
	const spec = (overrides: Partial<AgentSpec> = {}): AgentSpec => ({
		model: adapter.create(server),
		instructions: 'Read invoices.',
		tools: [bookTool],
		output: { type: 'text' },
		limits: { maxTurns: 4, toolConcurrency: 1, maxOutputTokensPerTurn: 200 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
		...overrides,
	});

	beforeEach(() => {
		bookings.length = 0;
	});

	it('sends the image and the PDF inline with the task text, as the provider reads them', async () => {
		server.load([{ kind: 'reply', text: 'Invoice 42 over 120 EUR; the terms allow 30 days.' }]);

		const outcome = await runAgent(spec(), { runId: 'run-1', task: 'What does the invoice say?', files: [invoice, terms] }, deps(runStore()));

		expect(outcome).toMatchObject({ status: 'done', output: 'Invoice 42 over 120 EUR; the terms allow 30 days.' });
		const [task] = server.requests[0].conversation.messages;
		expect(task.text).toBe('What does the invoice say?');
		expect(task.attachments).toEqual([
			{ kind: 'image', mediaType: 'image/png', bytes: 200_000, sha256: sha256(invoice.data) },
			{ kind: 'document', mediaType: 'application/pdf', bytes: 120_000, sha256: sha256(terms.data), name: 'terms.pdf' },
		]);
	});

	it('stores each file once; the transcript and the snapshot hold references, and the resumed run sends the image again', async () => {
		server.load([
			{ kind: 'reply', toolCalls: [{ id: 'call-1', name: 'book_payment', arguments: { amount: 120 } }] },
			{ kind: 'reply', text: 'Paid invoice 42.' },
		]);
		const store = runStore();

		const paused = await runAgent(spec(), { runId: 'run-1', task: 'Pay this invoice.', files: [invoice, invoice] }, deps(store));

		expect(paused.status).toBe('paused');
		const { pauseId } = (paused as Extract<RunOutcome, { status: 'paused' }>).pause;
		const stored = await createLocalDiskStore(folder).list('agent/');
		expect(stored.filter((key) => key.includes('/attachments/'))).toEqual([expect.stringMatching(new RegExp(`/runs/run-1/attachments/${sha256(invoice.data)}$`))]);
		const snapshotBody = (await createLocalDiskStore(folder).get(stored.find((key) => key.includes(`/snapshots/${pauseId}`))!))!;
		expect(snapshotBody.length).toBeLessThan(4_000);
		for (const key of stored.filter((name) => name.includes('/transcript/'))) expect((await createLocalDiskStore(folder).get(key))!.length).toBeLessThan(4_000);
		const parsed = parseSnapshot(snapshotBody.toString('utf8'));
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.snapshot.messages[0].content).toEqual([
			{ type: 'file', mediaType: 'image/png', name: 'invoice.png', size: 200_000, ref: sha256(invoice.data) },
			{ type: 'file', mediaType: 'image/png', name: 'invoice.png', size: 200_000, ref: sha256(invoice.data) },
			{ type: 'text', text: 'Pay this invoice.' },
		]);

		// Another process: a fresh store and engine, nothing held in memory from the first.
		const resumed = await resumeAgent(spec(), parsed.snapshot, [{ toolCallId: 'call-1', decision: 'approve' }], deps(runStore()));

		expect(resumed).toMatchObject({ status: 'done', output: 'Paid invoice 42.' });
		expect(bookings).toEqual([{ amount: 120 }]);
		const resumedTask = server.requests[1].conversation.messages[0];
		expect(resumedTask.attachments.map((file) => [file.kind, file.bytes, file.sha256])).toEqual([
			['image', 200_000, sha256(invoice.data)],
			['image', 200_000, sha256(invoice.data)],
		]);
	});

	it('refuses a file larger than the provider takes before anything is stored or sent', async () => {
		server.load([]);
		const huge = fakeFile('image/jpeg', 21 * 1024 * 1024, 'scan.jpg');

		const run = runAgent(spec(), { runId: 'run-1', task: 'Read the scan.', files: [huge] }, deps(runStore()));

		await expect(run).rejects.toThrow(InputFileError);
		await expect(run).rejects.toThrow(/The image 'scan\.jpg' is 21 MB; (Anthropic|OpenAI) takes images up to (3\.75|20) MB/);
		expect(await createLocalDiskStore(folder).list('agent/')).toEqual([]);
		expect(server.requests).toEqual([]);
	});
});

it('holds an image over 3.75 MB to Anthropic’s limit and lets OpenAI take it, and holds a run to its fallback’s limit too', async () => {
	const photo = fakeFile('image/jpeg', 4 * 1024 * 1024, 'photo.jpg');
	const [anthropic, openai] = adaptersUnderTest.map((adapter) => adapter.create(server));
	const run = (model: AgentSpec['model'], fallbackModel?: AgentSpec['model']) =>
		runAgent(
			{ model, fallbackModel, instructions: '', tools: [], output: { type: 'text' }, limits: { maxTurns: 1, toolConcurrency: 1, maxOutputTokensPerTurn: 50 }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } },
			{ runId: 'run-1', task: 'Describe the photo.', files: [photo] },
			deps(runStore()),
		);

	await expect(run(anthropic)).rejects.toThrow("The image 'photo.jpg' is 4 MB; Anthropic takes images up to 3.75 MB.");
	await expect(run(openai, anthropic)).rejects.toThrow(/Anthropic takes images up to 3\.75 MB/);
	server.load([{ kind: 'reply', text: 'A cat.' }]);
	await expect(run(openai)).resolves.toMatchObject({ status: 'done', output: 'A cat.' });
	expect(server.requests[0].conversation.messages[0].attachments).toEqual([{ kind: 'image', mediaType: 'image/jpeg', bytes: 4 * 1024 * 1024, sha256: sha256(photo.data) }]);
});

it('fails clearly when a paused run’s file was deleted from storage', async () => {
	const [anthropic] = adaptersUnderTest;
	server.load([{ kind: 'reply', toolCalls: [{ id: 'call-1', name: 'book_payment', arguments: { amount: 120 } }] }]);
	const agent: AgentSpec = {
		model: anthropic.create(server),
		instructions: '',
		tools: [bookTool],
		output: { type: 'text' },
		limits: { maxTurns: 4, toolConcurrency: 1, maxOutputTokensPerTurn: 50 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
	};
	const paused = await runAgent(agent, { runId: 'run-1', task: 'Pay this invoice.', files: [invoice] }, deps(runStore()));
	const blobs = createLocalDiskStore(folder);
	const keys = await blobs.list('agent/');
	await blobs.delete(keys.find((key) => key.includes('/attachments/'))!);
	const parsed = parseSnapshot((await blobs.get(keys.find((key) => key.includes('/snapshots/'))!))!.toString('utf8'));
	if (!parsed.ok || paused.status !== 'paused') throw new Error('expected a stored pause');

	await expect(resumeAgent(agent, parsed.snapshot, [{ toolCallId: 'call-1', decision: 'reject' }], deps(runStore()))).rejects.toThrow(
		"The file 'invoice.png' sent with this run's task is missing from storage",
	);
	expect(server.requests).toHaveLength(1);
});
