import http from 'node:http';

import { playStep, sendError, sendJson } from '../../support/llm-server/play-step';
import { readConversation, type Conversation, type WireFormat } from '../../support/llm-server/recorded-request';
import type { Step } from '../../support/llm-server/script';
import { serveLocally } from '../../support/llm-server/serve-locally';
import type { ScriptedLlmServer } from '../../support/scripted-llm-server';

/**
 * Decides the model's next reply from the conversation alone. Throwing (or returning undefined)
 * answers the request with an error naming the problem, which fails the run visibly.
 */
export type ConversationResponder = (conversation: Conversation) => Step | undefined;

/**
 * A model server for many runs at once. The scripted server plays one script in arrival order,
 * which concurrent executions (and workers racing for them) make unpredictable; this one answers
 * every request from what that request's conversation says, so any number of runs can be in flight
 * in any order. It speaks both wire formats, like the scripted server whose pieces it reuses.
 */
export type ConversationLlmServer = Pick<ScriptedLlmServer, 'url' | 'anthropicBaseUrl' | 'openaiBaseUrl' | 'close'> & {
	/** Every conversation received, in arrival order. */
	conversations: Conversation[];
	/** Requests the responder could not answer; a test that ends with some made a mistake. */
	failures: string[];
};

const routes: Record<string, WireFormat> = { '/v1/messages': 'anthropic', '/v1/chat/completions': 'chat-completions' };

export async function startConversationLlmServer(respond: ConversationResponder): Promise<ConversationLlmServer> {
	const conversations: Conversation[] = [];
	const failures: string[] = [];
	let requestNumber = 0;

	const answer = async (request: http.IncomingMessage, response: http.ServerResponse) => {
		const urlPath = (request.url ?? '/').split('?')[0];
		const wireFormat = routes[urlPath];
		if (request.method !== 'POST' || wireFormat === undefined) {
			sendJson(response, 404, { error: { message: `Conversation LLM server: no route for ${request.method} ${urlPath}` } });
			return;
		}
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
		const conversation = readConversation(wireFormat, body);
		conversations.push(conversation);
		requestNumber += 1;
		const reply = replyFor(respond, conversation);
		if (!reply.ok) {
			failures.push(reply.problem);
			sendError(response, wireFormat, 400, `Conversation LLM server: ${reply.problem}`);
			return;
		}
		playStep(reply.step, response, { wireFormat, body, stepNumber: requestNumber });
	};

	return { ...(await serveLocally('Conversation LLM server', answer)), conversations, failures };
}

function replyFor(respond: ConversationResponder, conversation: Conversation): { ok: true; step: Step } | { ok: false; problem: string } {
	const opening = `the conversation that starts "${(conversation.messages[0]?.text ?? '').slice(0, 120)}" (${conversation.messages.length} messages)`;
	try {
		const step = respond(conversation);
		return step === undefined ? { ok: false, problem: `No reply for ${opening}.` } : { ok: true, step };
	} catch (error) {
		return { ok: false, problem: `No reply for ${opening}: ${(error as Error).message}` };
	}
}
