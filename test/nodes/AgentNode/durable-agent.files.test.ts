import { createHash } from 'node:crypto';

import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

import type { PausedItemJson } from '../../../lib/resume';
import { createLocalDiskStore } from '../../../lib/storage';
import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { decisionItem, useWeatherAgent, weatherCall } from './support/weather-agent-harness';

/**
 * Files in, inside n8n-core's WorkflowExecute: the item's binary data goes to the model with the
 * task as 'Files to Send' chooses (every image by default, like n8n's AI Agent), stored once with
 * the run, and a run paused on a tool call resumes with its image.
 */

const agent = useWeatherAgent();

const bytes = (text: string) => Buffer.from(text);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const binaryFile = (data: Buffer, mimeType: string, fileName: string) => ({ data: data.toString('base64'), mimeType, fileName, fileSize: `${data.length} B` });

const invoice = bytes('\x89PNG invoice 42, 120 EUR');
const terms = bytes('%PDF-1.7 payment terms');
const notes = bytes('call the supplier');
const item: IBinaryKeyData = {
	invoice: binaryFile(invoice, 'image/png', 'invoice.png'),
	terms: binaryFile(terms, 'application/pdf', 'terms.pdf'),
	notes: binaryFile(notes, 'text/plain', 'notes.txt'),
};

async function run(binary: IBinaryKeyData | undefined, parameters: IDataObject = {}, json: IDataObject = { city: 'Paris' }) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, TestToolNode],
		nodes: [{ name: 'Start', type: 'startTest' }, ...agent.agentNodes({ task: '=Read the invoice for {{ $json.city }}.', ...parameters })],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		inputItems: [json],
		inputBinary: [binary],
		credentials: { ...agent.credentials(), durableAgentAnthropicApi: { apiKey: 'k', baseUrl: agent.server.anthropicBaseUrl } },
		workflowId: 'wf-1',
		executionId: 'exec-1',
	});
}

const sentFiles = (request = 0) => agent.server.requests[request].conversation.messages[0].attachments.map((file) => [file.kind, file.mediaType, file.sha256]);

it('sends every image on the item by default, and leaves PDFs and other files out', async () => {
	agent.server.load([{ kind: 'reply', text: 'Invoice 42: 120 EUR.' }]);

	const result = await run(item);

	expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'Invoice 42: 120 EUR.' })]);
	expect(agent.server.requests[0].conversation.messages[0].text).toBe('Read the invoice for Paris.');
	expect(sentFiles()).toEqual([['image', 'image/png', sha256(invoice)]]);
});

it('sends images and PDFs, or the named binary properties only', async () => {
	agent.server.load([{ kind: 'reply', text: 'Both read.' }]);
	await run(item, { filesToSend: 'imagesAndPdfs' });
	expect(sentFiles()).toEqual([
		['image', 'image/png', sha256(invoice)],
		['document', 'application/pdf', sha256(terms)],
	]);

	agent.server.load([{ kind: 'reply', text: 'Terms read.' }]);
	await run(item, { filesToSend: 'named', binaryProperties: ' terms ' });
	expect(sentFiles()).toEqual([['document', 'application/pdf', sha256(terms)]]);

	agent.server.load([{ kind: 'reply', text: 'Text only.' }]);
	await run(item, { filesToSend: 'none' });
	expect(sentFiles()).toEqual([]);
});

it('stops the item with an error that says what to fix: a missing property, a file models cannot read, a file too large', async () => {
	agent.server.load([]);

	const missing = await run(item, { filesToSend: 'named', binaryProperties: 'invoice, scan' });
	const unreadable = await run(item, { filesToSend: 'named', binaryProperties: 'notes' });
	const tiff = await run({ photo: binaryFile(bytes('II*\x00'), 'image/tiff', 'photo.tif') });
	const large = await run({ photo: binaryFile(Buffer.alloc(4 * 1024 * 1024, 1), 'image/jpeg', 'photo.jpg') }, { provider: 'anthropic', model: 'claude-test' });

	expect(missing.error).toMatchObject({ message: "The item has no binary property 'scan'", description: "Its binary properties are: invoice, terms, notes. Fix 'Binary Properties'." });
	expect(unreadable.error?.message).toBe("The file in binary property 'notes' is text/plain, which the model cannot be sent");
	expect(unreadable.error?.description).toContain('Models take PNG, JPEG, GIF and WebP images and PDFs.');
	expect(tiff.error?.message).toBe("The file in binary property 'photo' is image/tiff, which the model cannot be sent");
	expect(large.error?.message).toBe(
		"The image 'photo.jpg' is 4 MB; Anthropic takes images up to 3.75 MB. Send a smaller file (resize or compress it, e.g. with the Edit Image node), or leave it out under 'Files to Send'.",
	);
	expect(agent.server.requests).toEqual([]);
});

it('stores the image once with the run, and a run paused on a tool call resumes with it', async () => {
	agent.server.load([weatherCall('Paris')]);
	const first = await run(item);
	const paused = outputJson(first, 'Agent', { output: 1 })[0] as unknown as PausedItemJson;
	const runFolder = paused.reference.snapshotKey.replace(/snapshots\/.*$/, '');
	const store = createLocalDiskStore(agent.storageFolder);
	expect((await store.list(runFolder)).filter((key) => key.includes('/attachments/'))).toEqual([`${runFolder}attachments/${sha256(invoice)}`]);
	expect((await store.get(paused.reference.snapshotKey))!.toString()).not.toContain(invoice.toString('base64'));

	agent.server.load([{ kind: 'reply', text: 'Sunny; the invoice is 120 EUR.' }]);
	const resumed = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'approve' }])], {}, 'exec-1');

	expect(outputJson(resumed, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'Sunny; the invoice is 120 EUR.', runId: paused.runId })]);
	expect(sentFiles(0)).toEqual([['image', 'image/png', sha256(invoice)]]);
});
