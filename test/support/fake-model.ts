import type { LanguageModel, ModelRequest, ModelResponse } from '../../lib/engine/model/language-model';
import type { AssistantMessage, ToolCallPart, Usage } from '../../lib/engine/model/messages';

/** One scripted reply: a response, an error to throw, or a function of the request (e.g. to block). */
export type FakeReply = ModelResponse | Error | ((request: ModelRequest) => Promise<ModelResponse>);

/** A LanguageModel that plays back replies in order and records every request it got. */
export type FakeModel = LanguageModel & { requests: ModelRequest[] };

export function fakeModel(replies: FakeReply[], options: { modelId?: string; supportsStructuredOutput?: boolean } = {}): FakeModel {
	const queue = [...replies];
	const requests: ModelRequest[] = [];
	return {
		provider: 'anthropic',
		modelId: options.modelId ?? 'fake-model',
		supportsStructuredOutput: options.supportsStructuredOutput ?? false,
		requests,
		async generate(request) {
			// Copy the messages: the engine keeps appending to its array after the call.
			requests.push({ ...request, messages: [...request.messages] });
			const reply = queue.shift();
			if (reply === undefined) throw new Error(`fake model: no reply scripted for request ${requests.length}`);
			if (reply instanceof Error) throw reply;
			if (typeof reply === 'function') return await reply(request);
			return reply;
		},
	};
}

const usage = (inputTokens = 10, outputTokens = 5): Usage => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 });

export function textReply(text: string, tokens?: { input: number; output: number }): ModelResponse {
	const message: AssistantMessage = { role: 'assistant', content: [{ type: 'text', text }] };
	return { message, stopReason: 'end-turn', usage: usage(tokens?.input, tokens?.output), modelId: 'fake-model' };
}

export function toolCallsReply(calls: Array<{ id: string; name: string; input: unknown }>, text?: string): ModelResponse {
	const parts: ToolCallPart[] = calls.map((call) => ({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input }));
	const message: AssistantMessage = { role: 'assistant', content: [...(text ? [{ type: 'text' as const, text }] : []), ...parts] };
	return { message, stopReason: 'tool-calls', usage: usage(), modelId: 'fake-model' };
}
