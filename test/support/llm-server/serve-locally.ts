import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { sendJson } from './play-step';

/** Where a local LLM server listens: one URL for the Anthropic wire, `/v1` under it for Chat Completions. */
export type LocalLlmEndpoint = { url: string; anthropicBaseUrl: string; openaiBaseUrl: string; close(): Promise<void> };

/**
 * Serves `answer` on a free loopback port. A request whose handler throws gets a 500 naming
 * `serverName` (or a dropped connection once the answer has started).
 */
export async function serveLocally(serverName: string, answer: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>): Promise<LocalLlmEndpoint> {
	const server = http.createServer((request, response) => {
		answer(request, response).catch((error: unknown) => {
			if (!response.headersSent) sendJson(response, 500, { error: { message: `${serverName} failed: ${String(error)}` } });
			else response.destroy();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		anthropicBaseUrl: url,
		openaiBaseUrl: `${url}/v1`,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
