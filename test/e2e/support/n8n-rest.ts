/**
 * The n8n HTTP APIs the end-to-end tests use: the editor's REST API (`/rest`, cookie session) to
 * set up the owner, credentials and workflows, and the public API (`/api/v1`, API key) to read
 * executions as plain JSON.
 */

/** The owner account every test instance gets; the browser suites log in with it. */
export const owner = { email: 'owner@durable-agent.test', firstName: 'Test', lastName: 'Owner', password: 'Durable-Agent-1' } as const;

/** n8n ties its session cookie to this header; any fixed value works for a test client. */
const browserId = 'durable-agent-e2e';

export type N8nRest = {
	/** Creates the owner account and keeps its session. */
	setUpOwner(): Promise<void>;
	/** Creates an API key for the public API (executions, workflows). */
	createApiKey(): Promise<string>;
	createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; name: string }>;
	/** Saves a workflow (keeping its id) and publishes it, so its production webhooks answer. */
	createAndPublishWorkflow(workflow: Record<string, unknown>): Promise<{ id: string }>;
	/** A saved workflow, as the editor reads it. */
	getWorkflow(id: string): Promise<{ id: string; name: string; versionId: string; nodes: Array<Record<string, unknown>> }>;
	/** Saves changes to a workflow, as the editor's Save does. */
	updateWorkflow(id: string, changes: Record<string, unknown>): Promise<void>;
};

export class N8nRequestError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly body: string,
	) {
		super(message);
	}
}

async function readJson(response: Response, description: string): Promise<unknown> {
	const text = await response.text();
	if (!response.ok) throw new N8nRequestError(`${description} failed: HTTP ${response.status} ${text.slice(0, 500)}`, response.status, text);
	return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export function n8nRest(baseUrl: string): N8nRest {
	let cookie = '';
	const request = async (method: string, path: string, body?: unknown): Promise<unknown> => {
		const response = await fetch(new URL(`rest/${path}`, baseUrl), {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': browserId, ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const authCookie = response.headers.getSetCookie().find((header) => header.startsWith('n8n-auth='));
		if (authCookie !== undefined) cookie = authCookie.split(';')[0];
		const json = (await readJson(response, `${method} /rest/${path}`)) as { data?: unknown } | undefined;
		return json?.data;
	};

	return {
		async setUpOwner() {
			await request('POST', 'owner/setup', owner);
			if (cookie === '') throw new Error('n8n created the owner but set no session cookie.');
		},
		async createApiKey() {
			const created = (await request('POST', 'api-keys', {
				label: 'durable-agent-e2e',
				scopes: ['execution:read', 'execution:list', 'workflow:read', 'workflow:list'],
				expiresAt: null,
			})) as { rawApiKey: string };
			return created.rawApiKey;
		},
		async createCredential(credential) {
			const created = (await request('POST', 'credentials', credential)) as { id: string; name: string };
			return { id: created.id, name: created.name };
		},
		async createAndPublishWorkflow(workflow) {
			const created = (await request('POST', 'workflows', { ...workflow, active: false })) as { id: string; versionId: string };
			await request('POST', `workflows/${created.id}/activate`, { versionId: created.versionId });
			return { id: created.id };
		},
		async getWorkflow(id) {
			return (await request('GET', `workflows/${id}`)) as Awaited<ReturnType<N8nRest['getWorkflow']>>;
		},
		async updateWorkflow(id, changes) {
			const stored = (await request('GET', `workflows/${id}`)) as { versionId: string };
			await request('PATCH', `workflows/${id}`, { versionId: stored.versionId, ...changes });
		},
	};
}
