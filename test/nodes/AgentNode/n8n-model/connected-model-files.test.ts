import { createHash } from 'node:crypto';

import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI } from '@langchain/openai';

import { parseSnapshot, resumeAgent, runAgent, type AgentSpec, type EngineDeps, type InputFile, type Tool } from '../../../../lib/engine';
import { createConnectedChatModel } from '../../../../nodes/AgentNode/n8n-model/connected-chat-model';
import type { LangChainChatModel } from '../../../../nodes/AgentNode/n8n-model/langchain-shapes';
import { recordingRunStore, type RecordingRunStore } from '../../../support/recording-run-store';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../../support/scripted-llm-server';

/**
 * Files in through a connected chat model: the LangChain classes n8n's OpenAI and Anthropic
 * sub-nodes supply receive the task's image and PDF as LangChain data blocks and send them in
 * their provider's own format; a paused run sends the image again after the resume.
 */

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
afterEach(() => {
	expect(server.expectationFailures).toEqual([]);
	expect(server.remainingSteps()).toBe(0);
});

const subNodes = [
	{
		wire: 'Chat Completions (lmChatOpenAi)',
		nodeType: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		create: () => new ChatOpenAI({ apiKey: 'test-openai-key', model: 'gpt-test', maxRetries: 0, configuration: { baseURL: server.openaiBaseUrl } }) as unknown as LangChainChatModel,
	},
	{
		wire: 'Anthropic (lmChatAnthropic)',
		nodeType: '@n8n/n8n-nodes-langchain.lmChatAnthropic',
		create: () => new ChatAnthropic({ apiKey: 'test-anthropic-key', model: 'claude-test', maxRetries: 0, anthropicApiUrl: server.anthropicBaseUrl }) as unknown as LangChainChatModel,
	},
];

const file = (mediaType: InputFile['mediaType'], text: string, name: string): InputFile => ({ mediaType, data: Buffer.from(text), name });
const receipt = file('image/jpeg', '\xff\xd8\xff receipt pixels', 'receipt.jpg');
const contract = file('application/pdf', '%PDF-1.7 contract pages', 'contract.pdf');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const refundTool: Tool = {
	name: 'refund',
	description: 'Refunds an amount',
	inputSchema: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
	concurrencySafe: false,
	approval: { type: 'always' },
	execute: async () => 'refunded',
};

function deps(store: RecordingRunStore): EngineDeps {
	let ids = 0;
	return { store, now: () => Date.parse('2026-12-07T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => `pause-${++ids}` };
}

describe.each(subNodes)('files through a connected chat model on $wire', (subNode) => {
	const spec = (): AgentSpec => ({
		model: createConnectedChatModel(subNode.create(), { nodeType: subNode.nodeType, nodeName: 'Chat Model' }),
		instructions: 'Handle refunds.',
		tools: [refundTool],
		output: { type: 'text' },
		limits: { maxTurns: 4, toolConcurrency: 1, maxOutputTokensPerTurn: 200 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
	});

	it('sends the image and the PDF with the task, in the provider’s format', async () => {
		server.load([{ kind: 'reply', text: 'A receipt for 12 EUR under the contract.' }]);

		const outcome = await runAgent(spec(), { runId: 'run-1', task: 'What is this?', files: [receipt, contract] }, deps(recordingRunStore()));

		expect(outcome).toMatchObject({ status: 'done', output: 'A receipt for 12 EUR under the contract.' });
		const [task] = server.requests[0].conversation.messages;
		expect(task.text).toBe('What is this?');
		expect(task.attachments).toEqual([
			{ kind: 'image', mediaType: 'image/jpeg', bytes: receipt.data.byteLength, sha256: sha256(receipt.data) },
			{ kind: 'document', mediaType: 'application/pdf', bytes: contract.data.byteLength, sha256: sha256(contract.data), name: 'contract.pdf' },
		]);
	});

	it('resumes a paused run with the image: the request after the decision carries it again', async () => {
		server.load([
			{ kind: 'reply', toolCalls: [{ id: 'call-1', name: 'refund', arguments: { amount: 12 } }] },
			{ kind: 'reply', text: 'Refunded 12 EUR.' },
		]);
		const store = recordingRunStore();
		const paused = await runAgent(spec(), { runId: 'run-1', task: 'Refund this receipt.', files: [receipt] }, deps(store));
		if (paused.status !== 'paused') throw new Error(`expected a pause, got ${paused.status}`);
		const body = store.snapshots.get(paused.pause.pauseId)!;
		expect(body).not.toContain(Buffer.from(receipt.data).toString('base64'));
		const parsed = parseSnapshot(body);
		if (!parsed.ok) throw new Error(parsed.message);

		const resumed = await resumeAgent(spec(), parsed.snapshot, [{ toolCallId: 'call-1', decision: 'approve' }], deps(store));

		expect(resumed).toMatchObject({ status: 'done', output: 'Refunded 12 EUR.' });
		expect(server.requests[1].conversation.messages[0].attachments).toEqual([expect.objectContaining({ kind: 'image', sha256: sha256(receipt.data) })]);
	});
});
