import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the n8n HTTP Request Tool made. */
export type RecordedCall = { method: string; path: string; body: unknown };

/**
 * A stand-in for the ticket system the example's gated "Create Ticket" tool calls: it records
 * every request and answers with a new ticket id, so a test sees whether (and how often, and with
 * which arguments) the tool really ran inside n8n.
 */
export type RecordingServer = { url: string; calls: RecordedCall[]; close(): Promise<void> };

export async function startRecordingServer(): Promise<RecordingServer> {
	const calls: RecordedCall[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = text === '' ? undefined : JSON.parse(text);
			} catch {
				// Recorded as text.
			}
			calls.push({ method: request.method ?? '', path: request.url ?? '', body });
			response.writeHead(201, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ ticketId: `T-${calls.length}`, status: 'open' }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		calls,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
