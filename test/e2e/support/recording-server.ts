import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the n8n HTTP Request Tool made. */
export type RecordedCall = { method: string; path: string; body: unknown };

/** Which recorded calls a hold or a wait is about. */
export type CallMatcher = (call: RecordedCall) => boolean;

/**
 * A stand-in for the ticket system the example's gated "Create Ticket" tool calls: it records
 * every request and answers with a new ticket id, so a test sees whether (and how often, and with
 * which arguments) the tool really ran inside n8n.
 */
export type RecordingServer = {
	url: string;
	calls: RecordedCall[];
	/**
	 * Records the calls `matches` accepts but answers none of them until `release()`: the tool is
	 * then still running inside n8n, e.g. so that a test can crash the process that runs it.
	 */
	holdCalls(matches: CallMatcher): { release(): void };
	/** Resolves with the first call, recorded before or after, that `matches` accepts. */
	callArrived(matches: CallMatcher): Promise<RecordedCall>;
	close(): Promise<void>;
};

export async function startRecordingServer(): Promise<RecordingServer> {
	const calls: RecordedCall[] = [];
	const holds: Array<{ matches: CallMatcher; answers: Array<() => void> | undefined }> = [];
	let waiters: Array<{ matches: CallMatcher; resolve: (call: RecordedCall) => void }> = [];
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
			const call = { method: request.method ?? '', path: request.url ?? '', body };
			calls.push(call);
			const ticketId = `T-${calls.length}`;
			const answer = () => {
				response.writeHead(201, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ ticketId, status: 'open' }));
			};
			const hold = holds.find((candidate) => candidate.answers !== undefined && candidate.matches(call));
			if (hold?.answers !== undefined) hold.answers.push(answer);
			else answer();
			for (const waiter of waiters.filter((candidate) => candidate.matches(call))) waiter.resolve(call);
			waiters = waiters.filter((candidate) => !candidate.matches(call));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		calls,
		holdCalls(matches) {
			const hold: (typeof holds)[number] = { matches, answers: [] };
			holds.push(hold);
			return {
				release() {
					const answers = hold.answers ?? [];
					hold.answers = undefined;
					// A held call whose caller has died answers into a closed socket, which is harmless.
					for (const answer of answers) answer();
				},
			};
		},
		callArrived: (matches) =>
			new Promise<RecordedCall>((resolve) => {
				const earlier = calls.find(matches);
				if (earlier !== undefined) resolve(earlier);
				else waiters.push({ matches, resolve });
			}),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
