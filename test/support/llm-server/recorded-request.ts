import type { IncomingHttpHeaders } from 'node:http';

export type WireFormat = 'anthropic' | 'chat-completions';

/** One message of a request, read the same way from either wire format. */
export type ConversationMessage = {
	role: 'user' | 'assistant';
	text: string;
	toolCalls: Array<{ id: string; name: string; input: unknown }>;
	/** `isError` is only known on the Anthropic wire. */
	toolResults: Array<{ toolCallId: string; output: string; isError?: boolean }>;
};

/** What the engine asked for, independent of the wire format. */
export type Conversation = {
	model: string;
	system: string;
	toolNames: string[];
	messages: ConversationMessage[];
	structuredOutput: boolean;
	stream: boolean;
};

/** One request the scripted server received. */
export type RecordedRequest = {
	path: string;
	wireFormat: WireFormat;
	headers: IncomingHttpHeaders;
	body: Record<string, unknown>;
	conversation: Conversation;
};

type Json = Record<string, unknown>;
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** Text of a content field that is either a string or an array of `{ type: 'text', text }` blocks. */
const textOf = (content: unknown): string =>
	typeof content === 'string'
		? content
		: asArray(content)
				.filter((block) => block.type === 'text')
				.map((block) => String(block.text))
				.join('');

const parseArguments = (text: string): unknown => {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
};

const emptyMessage = (role: ConversationMessage['role']): ConversationMessage => ({ role, text: '', toolCalls: [], toolResults: [] });

const anthropicConversation = (body: Json): Conversation => ({
	model: String(body.model),
	system: textOf(body.system),
	toolNames: asArray(body.tools).map((tool) => String(tool.name)),
	structuredOutput: (body.output_config as Json | undefined)?.format !== undefined,
	stream: body.stream === true,
	messages: asArray(body.messages).map((message) => {
		const result = emptyMessage(message.role === 'assistant' ? 'assistant' : 'user');
		result.text = textOf(message.content);
		for (const block of asArray(message.content)) {
			if (block.type === 'tool_use') result.toolCalls.push({ id: String(block.id), name: String(block.name), input: block.input });
			if (block.type === 'tool_result') {
				result.toolResults.push({ toolCallId: String(block.tool_use_id), output: textOf(block.content), isError: block.is_error === true });
			}
		}
		return result;
	}),
});

const chatConversation = (body: Json): Conversation => {
	const messages: ConversationMessage[] = [];
	const systemTexts: string[] = [];
	for (const message of asArray(body.messages)) {
		if (message.role === 'system' || message.role === 'developer') {
			systemTexts.push(textOf(message.content));
		} else if (message.role === 'assistant') {
			const assistant = emptyMessage('assistant');
			assistant.text = textOf(message.content);
			for (const call of asArray(message.tool_calls)) {
				const fn = call.function as Json;
				assistant.toolCalls.push({ id: String(call.id), name: String(fn.name), input: parseArguments(String(fn.arguments)) });
			}
			messages.push(assistant);
		} else {
			// Tool results and the user text after them form one user turn, as on the Anthropic wire.
			const previous = messages[messages.length - 1];
			const continuesTurn = previous?.role === 'user' && previous.text === '' && previous.toolResults.length > 0;
			const user = continuesTurn ? previous : emptyMessage('user');
			if (!continuesTurn) messages.push(user);
			if (message.role === 'tool') user.toolResults.push({ toolCallId: String(message.tool_call_id), output: textOf(message.content) });
			else user.text += textOf(message.content);
		}
	}
	return {
		model: String(body.model),
		system: systemTexts.join('\n'),
		toolNames: asArray(body.tools).map((tool) => String((tool.function as Json).name)),
		structuredOutput: (body.response_format as Json | undefined)?.type === 'json_schema',
		stream: body.stream === true,
		messages,
	};
};

export const readConversation = (wireFormat: WireFormat, body: Json): Conversation =>
	wireFormat === 'anthropic' ? anthropicConversation(body) : chatConversation(body);
