import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import type { INode, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** The n8n ids the served webhook belongs to. */
export type ServedNode = { node: INode; workflow: { id: string; name: string }; executionId: string };

export type WebhookTestServer = {
	/** `http://127.0.0.1:<port>/webhook-waiting/<executionId>` */
	url: string;
	/** What the node's webhook() returned, one entry per request, in order of completion. */
	results: IWebhookResponseData[];
	close(): Promise<void>;
};

/**
 * Serves a node's `webhook()` over real HTTP, the way n8n's waiting webhooks do (cli 2.41.1,
 * webhooks/waiting-webhooks.ts and webhook-helpers.ts): the body is parsed like n8n's body parser
 * (JSON, urlencoded through `querystring` with at most 1000 keys, text), the node gets a context
 * around the real request and response, and when the node returns instead of answering itself
 * (`noWebhookResponse`), its `webhookResponse` is sent the way the `onReceived` mode sends it.
 */
export async function startWebhookServer(
	served: ServedNode,
	webhook: (context: IWebhookFunctions) => Promise<IWebhookResponseData>,
	credentials: Record<string, object> = {},
): Promise<WebhookTestServer> {
	const results: IWebhookResponseData[] = [];
	const server: Server = createServer((request, response) => {
		void handle(request, response).catch((error: unknown) => {
			response.writeHead(500, { 'Content-Type': 'text/plain' });
			response.end(`The test server failed: ${String(error)}`);
		});
	});

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const raw = await readBody(request);
		const parsedBody = parseBodyLikeN8n(String(request.headers['content-type'] ?? ''), raw);
		if (!parsedBody.ok) {
			// n8n refuses an unparsable body before any node code runs.
			response.writeHead(422, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ code: 422, message: 'Failed to parse request body' }));
			return;
		}
		const body = parsedBody.body;
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const query = Object.fromEntries(url.searchParams);
		const context = {
			getRequestObject: () => Object.assign(request, { body, query }),
			getResponseObject: () => response,
			getQueryData: () => query,
			getBodyData: () => body,
			getHeaderData: () => request.headers,
			getNodeParameter: (name: string, fallback?: unknown) => served.node.parameters[name] ?? fallback,
			getCredentials: async (type: string) => {
				if (credentials[type] === undefined) throw new Error(`Node "${served.node.name}" does not have any credentials of type "${type}" set`);
				return credentials[type];
			},
			getNode: () => served.node,
			getWorkflow: () => ({ id: served.workflow.id, name: served.workflow.name, active: true }),
			getExecutionId: () => served.executionId,
			getMode: () => 'webhook',
			getWebhookName: () => 'default',
		} as unknown as IWebhookFunctions;
		const result = await webhook(context);
		results.push(result);
		if (result.noWebhookResponse === true) return;
		// onReceived with `responseData: ''`: n8n resumes the execution, then sends webhookResponse.
		const payload = result.webhookResponse ?? { message: 'Workflow was started' };
		if (typeof payload === 'string') {
			if (!response.hasHeader('Content-Type')) response.setHeader('Content-Type', 'text/html; charset=utf-8');
			response.writeHead(200);
			response.end(payload);
		} else {
			if (!response.hasHeader('Content-Type')) response.setHeader('Content-Type', 'application/json; charset=utf-8');
			response.writeHead(200);
			response.end(JSON.stringify(payload));
		}
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook-waiting/${served.executionId}`,
		results,
		close: async () => await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
	};
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** n8n's parseBody (cli middlewares/body-parser.ts), then `req.body ??= {}`. */
function parseBodyLikeN8n(contentTypeHeader: string, raw: Buffer): { ok: true; body: unknown } | { ok: false } {
	if (raw.length === 0) return { ok: true, body: {} };
	const contentType = contentTypeHeader.split(';')[0].trim().toLowerCase();
	const text = raw.toString('utf8');
	if (contentType === 'application/x-www-form-urlencoded') return { ok: true, body: parseQueryString(text, undefined, undefined, { maxKeys: 1000 }) };
	if (contentType === 'text/plain') return { ok: true, body: text };
	if (contentType !== 'application/json') return { ok: true, body: {} };
	try {
		return { ok: true, body: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}
