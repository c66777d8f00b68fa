import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INode } from 'n8n-workflow';

import { createLocalDiskStore, type BlobStore } from '../../../../lib/storage';
import { systemResumeDeps, type ResumeDeps } from '../../../../nodes/AgentResume/resume-deps';
import { handleResumeWebhook } from '../../../../nodes/AgentResume/webhook';
import { testIds } from './paused-runs';
import { startWebhookServer, type WebhookTestServer } from './webhook-server';

/** A Resume node's waiting webhook on real HTTP, over a fresh local-disk store per test. */
export type ResumeTestbed = {
	server: WebhookTestServer;
	/** The local-disk folder of this test's store; the served node's Local Folder. */
	folder: string;
	store: BlobStore;
	/** The store's prefix: empty on local disk, as the node configures it. */
	prefix: string;
	/** Every key in the store, to prove what a request wrote (or did not). */
	keys(): Promise<string[]>;
	get(path: string, headers?: Record<string, string>): Promise<Response>;
	postJson(body: unknown, options?: { query?: string; accept?: string }): Promise<Response>;
	postForm(fields: Array<[string, string]>, query?: string): Promise<Response>;
	/**
	 * The webhook's clock and timing: the system's, except that the thank-you page watches for the
	 * run's next pause for a second (no run continues in these tests). A test may replace it.
	 */
	deps: ResumeDeps;
};

const testDeps: ResumeDeps = { ...systemResumeDeps, afterDecisionWatch: { timeoutMs: 1000, intervalMs: 50 } };

/** Registers jest hooks: one server for the file, one storage folder per test. */
export function useResumeTestbed(): ResumeTestbed {
	const node: INode = {
		id: testIds.resumeNodeId,
		name: 'Wait for approval',
		type: 'durableAgentResume',
		typeVersion: 1,
		position: [0, 0],
		parameters: { storage: 'localDisk', options: {} },
	};
	const testbed = {
		prefix: '',
		keys: async () => await testbed.store.list(''),
		get: async (path: string, headers: Record<string, string> = {}) => await fetch(`${testbed.server.url}${path}`, { headers }),
		postJson: async (body: unknown, options: { query?: string; accept?: string } = {}) =>
			await fetch(`${testbed.server.url}${options.query ?? ''}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Accept: options.accept ?? 'application/json' },
				body: JSON.stringify(body),
			}),
		postForm: async (fields: Array<[string, string]>, query = '') =>
			await fetch(`${testbed.server.url}${query}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html,application/xhtml+xml' },
				body: new URLSearchParams(fields).toString(),
			}),
	} as ResumeTestbed;

	beforeAll(async () => {
		testbed.server = await startWebhookServer({ node, workflow: { id: testIds.workflowId, name: 'Travel bookings' }, executionId: testIds.executionId }, async (context) => await handleResumeWebhook(context, testbed.deps));
	});
	afterAll(async () => {
		await testbed.server.close();
	});
	beforeEach(async () => {
		testbed.folder = await mkdtemp(join(tmpdir(), 'durable-agent-resume-'));
		node.parameters.options = { localFolder: testbed.folder };
		testbed.store = createLocalDiskStore(testbed.folder);
		testbed.server.results.length = 0;
		testbed.deps = testDeps;
	});
	afterEach(async () => {
		await rm(testbed.folder, { recursive: true, force: true });
	});
	return testbed;
}

/** The `error` of a JSON error response: `{ error: { code, message, details? } }`. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; details?: string[] }> {
	const body = (await response.json()) as { error: { code: string; message: string; details?: string[] } };
	return body.error;
}

/** The query of an approval link as the agent builds it: n8n's resume signature, then our token. */
export const approvalQuery = (token: string) => `?signature=n8n-resume-token&token=${encodeURIComponent(token)}`;
