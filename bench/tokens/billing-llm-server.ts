import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { anthropicMessage, anthropicSseFrame, anthropicStreamEvents } from '../../test/support/llm-server/anthropic-wire';
import type { ScriptedReply } from '../../test/support/llm-server/script';
import { anthropicCacheRules, createPromptCache, parseBilledRequest, promptBlocks, type BilledRequestBody, type InputBilling, type PromptCache } from './anthropic-billing';

/** One request as the server billed it. */
export type BilledRequest = InputBilling & {
	/** `summary`: a request without tools, which the engine sends to summarise older turns. */
	kind: 'turn' | 'summary';
	/** Every input token of the request, however billed. */
	requestTokens: number;
	/** The text of each tool result in the request's last message, for checking what reached the model. */
	latestToolResults: string[];
};

/** One scripted run: its own replies, its own prompt cache, its own ledger. */
export type BilledRun = {
	/** For createAnthropicModel's `baseUrl` (the SDK appends `/v1/messages`). */
	baseUrl: string;
	ledger: BilledRequest[];
};

export type RunOptions = {
	/** Whether `cache_control` breakpoints are honoured; off bills the same prompts with no cache. */
	caching: boolean;
	/** The replies to tool-offering requests, in order. */
	replies: readonly ScriptedReply[];
	/** The reply to every summarising request (one without tools); it does not use up a scripted reply. */
	summaryReply: ScriptedReply;
};

/**
 * A local server speaking the Anthropic Messages API (streamed or not, as the client asks) that
 * bills every request as the API would (see anthropic-billing.ts) and reports the bill in the
 * response's usage, so the engine's own usage accounting is what a benchmark reads. Each run gets
 * its own path, replies and cache. The replies depend only on the order of requests, never on their
 * content: a run with context management gets exactly the answers a run without it gets.
 */
export type BillingLlmServer = {
	openRun(label: string, options: RunOptions): BilledRun;
	/**
	 * A base URL that always means the run opened last: for clients whose base URL is set once (an
	 * n8n credential) and that run their tasks one after another.
	 */
	latestRunBaseUrl: string;
	close(): Promise<void>;
};

type RunState = { options: RunOptions; cache: PromptCache; nextReply: number; run: BilledRun };

const outputTokensOf = (reply: ScriptedReply): number => Math.ceil(JSON.stringify([reply.text ?? '', reply.toolCalls ?? []]).length / 4);

export async function startBillingLlmServer(now: () => number = Date.now): Promise<BillingLlmServer> {
	const runs = new Map<string, RunState>();
	let latest: RunState | undefined;
	const latestRunPath = 'latest-run';

	const answer = (request: http.IncomingMessage, response: http.ServerResponse, text: string) => {
		const path = (request.url ?? '').split('?')[0];
		const match = /^\/runs\/([^/]+)\/v1\/messages$/.exec(path);
		const state = path === `/${latestRunPath}/v1/messages` ? latest : match ? runs.get(decodeURIComponent(match[1])) : undefined;
		if (request.method !== 'POST' || state === undefined) return refuse(response, 404, `No run for ${request.method} ${request.url}.`);
		const raw = JSON.parse(text) as { stream?: unknown; model?: unknown };
		const body = parseBilledRequest(raw);
		const blocks = promptBlocks(body);
		const billing = state.cache.bill(blocks, now());
		const kind = (body.tools?.length ?? 0) === 0 ? 'summary' : 'turn';
		const reply = kind === 'summary' ? state.options.summaryReply : state.options.replies[state.nextReply++];
		if (reply === undefined) return refuse(response, 400, `The script has no reply left for request ${state.run.ledger.length + 1}.`);
		state.run.ledger.push({ ...billing, kind, requestTokens: blocks.reduce((sum, block) => sum + block.tokens, 0), latestToolResults: latestToolResults(body) });
		const usage = { inputTokens: billing.inputTokens, cacheReadTokens: billing.cacheReadTokens, cacheWriteTokens: billing.cacheWriteTokens, outputTokens: outputTokensOf(reply) };
		const messageId = `msg_bench_${state.run.ledger.length}`;
		if (raw.stream !== true) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify(anthropicMessage({ ...reply, usage }, String(raw.model), messageId)));
			return;
		}
		const events = anthropicStreamEvents({ ...reply, usage }, String(raw.model), messageId);
		response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		response.end(events.map(anthropicSseFrame).join(''));
	};

	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			try {
				answer(request, response, Buffer.concat(chunks).toString('utf8'));
			} catch (error) {
				refuse(response, 400, (error as Error).message);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		openRun(label, options) {
			if (runs.has(label)) throw new Error(`Run '${label}' is already open on this server.`);
			const run: BilledRun = { baseUrl: `${origin}/runs/${encodeURIComponent(label)}`, ledger: [] };
			latest = { options, cache: createPromptCache({ ...anthropicCacheRules, caching: options.caching }), nextReply: 0, run };
			runs.set(label, latest);
			return run;
		},
		latestRunBaseUrl: `${origin}/${latestRunPath}`,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

function refuse(response: http.ServerResponse, status: number, message: string): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message } }));
}

/** The tool results of the request's last message as text (a result's content is a string or text blocks). */
function latestToolResults(body: BilledRequestBody): string[] {
	const content = body.messages.at(-1)?.content;
	if (typeof content !== 'object') return [];
	return content.flatMap((block) => {
		if (block.type !== 'tool_result') return [];
		const result = block.content;
		if (typeof result === 'string') return [result];
		return [Array.isArray(result) ? result.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('') : ''];
	});
}
