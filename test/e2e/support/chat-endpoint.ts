import { sleep } from './executions';

/**
 * A chat client for a published Chat Trigger, as n8n's chat widget talks to it: POST
 * `/webhook/<webhookId>/chat` with `{ action: 'sendMessage', sessionId, chatInput }`.
 */

/** One line of a streamed chat answer (`begin`, `item`, `end`, `error`), as n8n writes it. */
export type ChatChunk = { type: string; content?: string; metadata?: { nodeName?: string; itemIndex?: number; runIndex?: number } };

export type StreamedChatAnswer = {
	status: number;
	/** Every chunk in arrival order. */
	chunks: ChatChunk[];
	/** The `item` chunks' text, joined. */
	text: string;
};

/** How long a just-published Chat Trigger may answer 404 (n8n registers production webhooks after it reports ready). */
const registrationPatienceMilliseconds = 15_000;

async function postChatMessage(baseUrl: string, webhookId: string, sessionId: string, chatInput: string): Promise<Response> {
	const deadline = Date.now() + registrationPatienceMilliseconds;
	for (;;) {
		const response = await fetch(new URL(`webhook/${webhookId}/chat`, baseUrl), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
		});
		if (response.status !== 404 || Date.now() > deadline) return response;
		await response.text();
		await sleep(250);
	}
}

/** Sends a message to a Chat Trigger answering when the last node finishes; returns the answer's JSON. */
export async function sendChatMessage(baseUrl: string, webhookId: string, sessionId: string, chatInput: string): Promise<{ status: number; json: Record<string, unknown> }> {
	const response = await postChatMessage(baseUrl, webhookId, sessionId, chatInput);
	const text = await response.text();
	try {
		return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
	} catch {
		throw new Error(`The chat answered HTTP ${response.status} with something other than JSON: ${text.slice(0, 300)}`);
	}
}

/** Sends a message to a Chat Trigger in streaming mode and reads its answer chunk by chunk until n8n closes it. */
export async function streamChatMessage(baseUrl: string, webhookId: string, sessionId: string, chatInput: string): Promise<StreamedChatAnswer> {
	const response = await postChatMessage(baseUrl, webhookId, sessionId, chatInput);
	if (response.body === null) throw new Error(`The chat answered HTTP ${response.status} without a body.`);
	const decoder = new TextDecoder();
	const chunks: ChatChunk[] = [];
	let pending = '';
	for await (const bytes of response.body) {
		pending += decoder.decode(bytes as Uint8Array, { stream: true });
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) if (line.trim() !== '') chunks.push(JSON.parse(line) as ChatChunk);
	}
	if (pending.trim() !== '') chunks.push(JSON.parse(pending) as ChatChunk);
	const text = chunks.flatMap((chunk) => (chunk.type === 'item' && typeof chunk.content === 'string' ? [chunk.content] : [])).join('');
	return { status: response.status, chunks, text };
}

/** A message of a reopened chat: LangChain's class name (`HumanMessage`, `AIMessage`…) and its text. */
export type PreviousChatMessage = { type: string; content: unknown };

/**
 * What n8n's chat widget asks for when it is opened again with Load Previous Session → From
 * Memory: the session's messages as the Chat Trigger's memory holds them (LangChain's serialized
 * form, `{ id: [..., 'HumanMessage'], kwargs: { content } }`).
 */
export async function loadPreviousSession(baseUrl: string, webhookId: string, sessionId: string): Promise<PreviousChatMessage[]> {
	const response = await fetch(new URL(`webhook/${webhookId}/chat`, baseUrl), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'loadPreviousSession', sessionId }),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`Loading the previous session answered HTTP ${response.status}: ${text.slice(0, 300)}`);
	const { data } = JSON.parse(text) as { data: Array<{ id?: string[]; kwargs?: { content?: unknown } }> };
	return data.map((message) => ({ type: message.id?.[message.id.length - 1] ?? 'unknown', content: message.kwargs?.content }));
}
