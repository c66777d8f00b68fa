/**
 * A lean Chat Completions server for benchmarks, run as its own process so that its CPU time never
 * counts as the client's. It is stateless: the reply depends only on the request, so any number of
 * runs can share it. While a run has fewer than `toolTurns` tool results, the model calls the first
 * tool the request offers, with its first property set to a short string; then it answers with
 * text. JSON (`stream: false`) and SSE (`stream: true`) carry the same reply.
 *
 * Started by server-process.ts with one JSON argument ({@link InstantServerConfiguration}); it
 * reports its port over the IPC channel. Only `node:` imports and erasable TypeScript syntax, so
 * Node 24 can run this file as it is (under jest) as well as compiled (under `npm run bench`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server behaves; the same for every request it gets. */
export type InstantServerConfiguration = {
	/** Tool calls per run before the final text answer; a run then makes `toolTurns + 1` model calls. */
	toolTurns: number;
	/** Delay before each answer, standing in for a provider's response time. */
	latencyMs: number;
};

type Reply = { toolCall: { id: string; name: string; argumentsText: string } } | { text: string };

type RequestBody = {
	messages?: Array<{ role?: string }>;
	tools?: Array<{ function?: { name?: string; parameters?: { properties?: Record<string, unknown> } } }>;
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
};

const configuration = JSON.parse(process.argv[2] ?? '{}') as InstantServerConfiguration;
const modelId = 'bench-model';
const usage = { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132, prompt_tokens_details: { cached_tokens: 0 } };

function replyFor(body: RequestBody): Reply {
	const toolResults = (body.messages ?? []).filter((message) => message.role === 'tool').length;
	const tool = body.tools?.[0]?.function;
	if (toolResults >= configuration.toolTurns || tool?.name === undefined) {
		return { text: `Done: I looked up ${toolResults} steps and everything checks out.` };
	}
	const step = toolResults + 1;
	const argumentName = Object.keys(tool.parameters?.properties ?? {})[0] ?? 'query';
	return { toolCall: { id: `call_bench_${step}`, name: tool.name, argumentsText: JSON.stringify({ [argumentName]: `details for step ${step}` }) } };
}

function completion(reply: Reply) {
	const message =
		'text' in reply
			? { role: 'assistant', content: reply.text }
			: {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: reply.toolCall.argumentsText } }],
				};
	return {
		id: 'chatcmpl-bench',
		object: 'chat.completion',
		created: 1_700_000_000,
		model: modelId,
		choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }],
		usage,
	};
}

/** Fragments of at most `size` characters, as providers stream text and arguments. */
function fragments(text: string, size: number): string[] {
	const pieces: string[] = [];
	for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
	return pieces;
}

function sseBody(reply: Reply, includeUsage: boolean): string {
	const chunk = (delta: object, finishReason: string | null = null) => ({
		id: 'chatcmpl-bench',
		object: 'chat.completion.chunk',
		created: 1_700_000_000,
		model: modelId,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
	});
	const chunks: object[] = [chunk({ role: 'assistant', content: '' })];
	if ('text' in reply) {
		for (const piece of fragments(reply.text, 16)) chunks.push(chunk({ content: piece }));
		chunks.push(chunk({}, 'stop'));
	} else {
		const { id, name, argumentsText } = reply.toolCall;
		chunks.push(chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }));
		for (const piece of fragments(argumentsText, 16)) chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
		chunks.push(chunk({}, 'tool_calls'));
	}
	if (includeUsage) chunks.push({ ...chunk({}), choices: [], usage });
	return `${chunks.map((part) => `data: ${JSON.stringify(part)}\n\n`).join('')}data: [DONE]\n\n`;
}

function answer(request: http.IncomingMessage, response: http.ServerResponse, text: string): void {
	if (request.method !== 'POST' || !(request.url ?? '').endsWith('/chat/completions')) {
		response.writeHead(404, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ error: { message: `No route for ${request.method} ${request.url}` } }));
		return;
	}
	const body = JSON.parse(text) as RequestBody;
	const reply = replyFor(body);
	if (body.stream === true) {
		response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		response.end(sseBody(reply, body.stream_options?.include_usage === true));
		return;
	}
	response.writeHead(200, { 'content-type': 'application/json' });
	response.end(JSON.stringify(completion(reply)));
}

const server = http.createServer((request, response) => {
	const chunks: Buffer[] = [];
	request.on('data', (chunk: Buffer) => chunks.push(chunk));
	request.on('end', () => {
		const respond = () => answer(request, response, Buffer.concat(chunks).toString('utf8'));
		if (configuration.latencyMs > 0) setTimeout(respond, configuration.latencyMs);
		else respond();
	});
});
server.listen(0, '127.0.0.1', () => {
	process.send?.({ port: (server.address() as AddressInfo).port });
});
// The parent closing the IPC channel (or dying) ends the server: no orphan process outlives a benchmark.
process.on('disconnect', () => process.exit(0));
