import { z } from 'zod/v4';

/** JSON values as they cross every boundary: model output, tool input and output, storage. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema document (draft-07 or 2020-12), kept as plain data. */
export type JsonSchema = { [key: string]: JsonValue };

export const textPartSchema = z.strictObject({ type: z.literal('text'), text: z.string() });
export type TextPart = z.infer<typeof textPartSchema>;

/** Model reasoning ("extended thinking"); kept so providers that require it on later turns get it back. */
export const reasoningPartSchema = z.strictObject({ type: z.literal('reasoning'), text: z.string(), signature: z.string().optional(), redactedData: z.string().optional() });
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;

/**
 * A tool call as the model made it. `input` is the parsed arguments; when the model sent text that
 * is not JSON, `input` is that raw text and validation reports it back to the model.
 */
export const toolCallPartSchema = z.strictObject({ type: z.literal('tool-call'), toolCallId: z.string(), toolName: z.string(), input: z.unknown() });
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;

/** The result the engine returns to the model for one tool call; `isError` marks failures the model may fix. */
export const toolResultPartSchema = z.strictObject({ type: z.literal('tool-result'), toolCallId: z.string(), toolName: z.string(), output: z.string(), isError: z.boolean() });
export type ToolResultPart = z.infer<typeof toolResultPartSchema>;

/** The file types a model can be given: images, and PDFs where the provider reads them. */
export const fileMediaTypeSchema = z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);
export type FileMediaType = z.infer<typeof fileMediaTypeSchema>;

/**
 * A file sent with the task (an image, a PDF). Messages, transcripts and snapshots hold only this
 * reference: the bytes are stored once per run (RunStore.writeAttachment) and loaded for each request.
 * `size`: the file's length in bytes.
 */
export const filePartSchema = z.strictObject({
	type: z.literal('file'),
	mediaType: fileMediaTypeSchema,
	name: z.string().optional(),
	size: z.number().int().min(0),
	ref: z.string().min(1),
});
export type FilePart = z.infer<typeof filePartSchema>;

export const userMessageSchema = z.strictObject({ role: z.literal('user'), content: z.array(z.discriminatedUnion('type', [textPartSchema, toolResultPartSchema, filePartSchema])) });
export type UserMessage = z.infer<typeof userMessageSchema>;

export const assistantMessageSchema = z.strictObject({
	role: z.literal('assistant'),
	content: z.array(z.discriminatedUnion('type', [textPartSchema, reasoningPartSchema, toolCallPartSchema])),
});
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

export const messageSchema = z.discriminatedUnion('role', [userMessageSchema, assistantMessageSchema]);
export type Message = z.infer<typeof messageSchema>;

/** A file part as a model request carries it: the stored part and its bytes, base64, loaded by the engine for the call. */
export type LoadedFilePart = FilePart & { data: string };

/**
 * A message as adapters receive it: a stored message whose file parts carry their bytes. Never
 * stored (the bytes would be copied into every turn's object); see files/run-files.ts.
 */
export type RequestMessage = AssistantMessage | RequestUserMessage;
export type RequestUserMessage = { role: 'user'; content: Array<Exclude<UserMessage['content'][number], FilePart> | LoadedFilePart> };

/**
 * Token usage of one model call or a whole run. Cache tokens are part of the input the provider billed.
 * `estimated`: some call's provider reported no usage, so its counts were estimated from the size of
 * its request and answer (budgets still hold; costs are approximate); absent in older stored usage.
 */
export const usageSchema = z.strictObject({
	inputTokens: z.number().int().min(0),
	outputTokens: z.number().int().min(0),
	cacheReadTokens: z.number().int().min(0),
	cacheWriteTokens: z.number().int().min(0),
	estimated: z.boolean().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export const addUsage = (a: Usage, b: Usage): Usage => ({
	inputTokens: a.inputTokens + b.inputTokens,
	outputTokens: a.outputTokens + b.outputTokens,
	cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
	cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
	...(a.estimated === true || b.estimated === true ? { estimated: true } : {}),
});

/** Every token the provider counted, billed input (including cache) plus output. */
export const totalTokens = (usage: Usage): number =>
	usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;

/** The text of a message, its text parts joined (reasoning, tool calls and results left out). */
export const extractText = (message: Message): string => message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

export const toolCallsOf = (message: AssistantMessage): ToolCallPart[] => message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
