import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type WireFormat = 'anthropic' | 'chat-completions';

/** One message of a request, read the same way from either wire format. */
export type ConversationMessage = {
	role: 'user' | 'assistant';
	text: string;
	toolCalls: Array<{ id: string; name: string; input: unknown }>;
	/** `isError` is only known on the Anthropic wire. */
	toolResults: Array<{ toolCallId: string; output: string; isError?: boolean }>;
	/** Files sent inline: Anthropic image and document blocks, Chat Completions image_url and file parts. */
	attachments: Attachment[];
};

/** One inline file as the model received it: `bytes` and `sha256` of the decoded base64 data. */
export type Attachment = { kind: 'image' | 'document'; mediaType: string; bytes: number; sha256: string; name?: string };

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

const emptyMessage = (role: ConversationMessage['role']): ConversationMessage => ({ role, text: '', toolCalls: [], toolResults: [], attachments: [] });

const attachment = (kind: Attachment['kind'], mediaType: string, base64: string, name: unknown): Attachment => {
	const data = Buffer.from(base64, 'base64');
	return { kind, mediaType, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), ...(typeof name === 'string' ? { name } : {}) };
};

/** `data:{mediaType};base64,{data}` split into its parts; undefined for any other URL. */
const dataUrl = (url: unknown): { mediaType: string; base64: string } | undefined => {
	const match = typeof url === 'string' ? /^data:([^;,]+);base64,(.*)$/s.exec(url) : null;
	return match ? { mediaType: match[1], base64: match[2] } : undefined;
};

const anthropicAttachment = (block: Json): Attachment | undefined => {
	const source = block.source as Json | undefined;
	if ((block.type !== 'image' && block.type !== 'document') || source?.type !== 'base64') return undefined;
	return attachment(block.type, String(source.media_type), String(source.data), block.title);
};

const chatAttachment = (part: Json): Attachment | undefined => {
	if (part.type === 'image_url') {
		const url = dataUrl((part.image_url as Json | undefined)?.url);
		return url && attachment('image', url.mediaType, url.base64, undefined);
	}
	if (part.type === 'file') {
		const file = part.file as Json | undefined;
		const url = dataUrl(file?.file_data);
		return url && attachment('document', url.mediaType, url.base64, file?.filename);
	}
	return undefined;
};

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
			const file = anthropicAttachment(block);
			if (file) result.attachments.push(file);
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
			else {
				user.text += textOf(message.content);
				user.attachments.push(...asArray(message.content).flatMap((part) => chatAttachment(part) ?? []));
			}
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
