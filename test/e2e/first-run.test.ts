import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPOSITORY_ROOT } from '../../scripts/n8n/local-n8n';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { freePorts } from './support/free-port';
import { n8nRest, type N8nRest } from './support/n8n-rest';
import { postToWebhook } from './support/webhooks';

/**
 * The README's first run, as a newcomer does it: `bash scripts/start.sh` on a fresh local folder,
 * one model credential, a second start, the README's curl lines; then an edit in n8n that a third
 * start keeps. Only the credential is created through n8n's REST API instead of the editor.
 */

type StartCommand = { output: () => string; stop(): Promise<void> };

let folder: string;
let llm: ScriptedLlmServer;
let tarball: string;
let ports: { port: number; runnerPort: number; ticketsPort: number };

/** Runs `bash scripts/start.sh` and resolves once it says n8n is ready. */
async function start(): Promise<StartCommand> {
	let output = '';
	const environment = { ...process.env };
	// jest sets NODE_ENV=test, which n8n reads as "running n8n's own tests" (it then exits at start).
	delete environment.NODE_ENV;
	const child: ChildProcess = spawn('bash', ['scripts/start.sh'], {
		cwd: REPOSITORY_ROOT,
		env: {
			...environment,
			DURABLE_AGENT_LOCAL_FOLDER: folder,
			DURABLE_AGENT_PACKAGE_TARBALL: tarball,
			PORT: String(ports.port),
			N8N_RUNNERS_BROKER_PORT: String(ports.runnerPort),
			TICKETS_PORT: String(ports.ticketsPort),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
	await new Promise<void>((resolve, reject) => {
		const read = (chunk: Buffer) => {
			output += chunk.toString('utf8');
			if (output.includes('n8n is ready')) resolve();
		};
		child.stdout?.on('data', read);
		child.stderr?.on('data', read);
		void exited.then((code) => reject(new Error(`scripts/start.sh exited (${code}) before n8n was ready:\n${output}`)));
	});
	return {
		output: () => output,
		async stop() {
			child.kill('SIGINT');
			expect(await exited).toBe(0);
		},
	};
}

const editedTicketUrl = 'https://tickets.internal.example/api/tickets';
const withTicketUrl = (node: Record<string, unknown>) => ({ ...node, parameters: { ...(node.parameters as object), url: editedTicketUrl } });

const orderQuestion = { question: 'Where is my order A-1001, and can I still return it?' };
const supportRequest = { request: 'The app crashes when I upload a photo. Please open a ticket.' };

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'durable-agent-e2e-first-run-'));
	// The package global-setup built, packed once for the three starts (each would build it again).
	execFileSync('npm', ['pack', '--pack-destination', folder], { cwd: REPOSITORY_ROOT, stdio: 'ignore' });
	tarball = join(folder, readdirSync(folder).find((file) => file.endsWith('.tgz')) ?? '');
	const [port, runnerPort, ticketsPort] = await freePorts(3);
	ports = { port, runnerPort, ticketsPort };
	llm = await startScriptedLlmServer();
});

afterAll(async () => {
	await llm?.close();
	rmSync(folder, { recursive: true, force: true });
});

describe('the first run the README describes', () => {
	let rest: N8nRest;
	const url = () => `http://127.0.0.1:${ports.port}/`;
	const supportWorkflowId = 'durableAgentEx2';

	it('imports the examples unpublished while no model credential exists, and says what they wait for', async () => {
		const first = await start();
		try {
			rest = n8nRest(url());
			await rest.setUpOwner();
			const response = await postToWebhook(url(), 'durable-agent/order-question', orderQuestion);

			expect(first.output()).toContain('it needs a Durable Agent: Anthropic API or Durable Agent: OpenAI-Compatible API credential');
			expect(response.status).toBe(404);

			// The README's step 2: one model credential, with the name n8n proposes.
			await rest.createCredential({
				name: 'Durable Agent: OpenAI-Compatible account',
				type: 'durableAgentOpenAiCompatibleApi',
				data: { apiKey: '', baseUrl: llm.openaiBaseUrl, headers: '{}' },
			});
		} finally {
			await first.stop();
		}
	}, 600_000);

	it('after one credential and a second start, example 01 answers and example 02 reaches Needs Approval', async () => {
		const second = await start();
		try {
			llm.load([{ kind: 'reply', text: JSON.stringify({ reply: 'It shipped; you can return it.', orderStatus: 'shipped', refundEligible: true }) }]);
			const orderAnswer = await postToWebhook(url(), 'durable-agent/order-question', orderQuestion);
			llm.load([
				{
					kind: 'reply',
					text: 'I will open a ticket.',
					toolCalls: [{ id: 'call_ticket', name: 'Create_Ticket', arguments: { title: 'Crash on photo upload', priority: 'high' } }],
				},
			]);
			const supportAnswer = await postToWebhook(url(), 'durable-agent/support-request', supportRequest);
			// Example 03 also needs an S3 credential, which does not exist: it stays unpublished.
			const s3Answer = await postToWebhook(url(), 'durable-agent/order-question-s3', orderQuestion);

			expect(s3Answer.status).toBe(404);
			expect(second.output()).toContain('"Durable AI Agent: order question with S3 storage" is imported but not published: it needs a Durable Agent: S3-Compatible Storage credential.');
			expect({ status: orderAnswer.status, body: orderAnswer.json() }).toEqual({
				status: 200,
				body: expect.objectContaining({ reply: 'It shipped; you can return it.', orderStatus: 'shipped', refundEligible: true }),
			});
			expect(supportAnswer.status).toBe(200);
			expect(supportAnswer.json()).toMatchObject({
				status: 'needs_approval',
				approvals: [{ approvalUrl: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${ports.port}/webhook-waiting/`)) }],
			});
			// The ticket call waits for a person: the stand-in has not been called.
			expect(second.output()).not.toContain('Ticket stand-in: opened');

			// The user points example 02's ticket tool at their own ticket system in the editor.
			const stored = await rest.getWorkflow(supportWorkflowId);
			await rest.updateWorkflow(supportWorkflowId, { nodes: stored.nodes.map((node) => (node.name === 'Create Ticket' ? withTicketUrl(node) : node)) });
		} finally {
			await second.stop();
		}
	}, 600_000);

	it('keeps example 02 as edited in n8n when it starts again', async () => {
		const third = await start();
		try {
			const stored = await rest.getWorkflow(supportWorkflowId);
			const ticketTool = stored.nodes.find((node) => node.name === 'Create Ticket') as { parameters: { url: string } };

			expect(ticketTool.parameters.url).toBe(editedTicketUrl);
			expect(third.output()).toContain('Kept "Durable AI Agent: support request with approval" (02-support-agent-approval.json) as it is in n8n');
		} finally {
			await third.stop();
		}
	}, 600_000);
});
