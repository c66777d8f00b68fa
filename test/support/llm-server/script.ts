import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod/v4';
import type { RecordedRequest } from './recorded-request';

/**
 * What the engine must have sent for a step to be answered. Declarative matchers work in scenario
 * files on either wire format; a function (tests only) may throw or return false to reject.
 */
const requestMatcherSchema = z.strictObject({
	model: z.string().optional(),
	systemIncludes: z.string().optional(),
	/** The exact set of tool names offered, in any order. */
	toolNames: z.array(z.string()).optional(),
	messageCount: z.number().int().optional(),
	lastUserTextIncludes: z.string().optional(),
	/**
	 * Each entry must match a tool result of the last user turn. `isError` is checked on the
	 * Anthropic wire only: Chat Completions has no such flag.
	 */
	toolResults: z
		.array(z.strictObject({ toolCallId: z.string().optional(), isError: z.boolean().optional(), outputIncludes: z.string().optional() }))
		.optional(),
	structuredOutput: z.boolean().optional(),
});
export type RequestMatcher = z.infer<typeof requestMatcherSchema>;
export type Expectation = RequestMatcher | ((request: RecordedRequest) => boolean | void);

const usageSchema = z.strictObject({
	/** Input tokens not read from or written to the cache (Anthropic's `input_tokens`). */
	inputTokens: z.number().int().optional(),
	outputTokens: z.number().int().optional(),
	cacheReadTokens: z.number().int().optional(),
	cacheWriteTokens: z.number().int().optional(),
});

const replyFields = {
	text: z.string().optional(),
	/** Anthropic thinking; on Chat Completions the text streams as `reasoning_content` and the signature is unused. */
	thinking: z.strictObject({ text: z.string(), signature: z.string() }).optional(),
	toolCalls: z
		.array(
			z.strictObject({
				id: z.string().optional(),
				name: z.string(),
				/** An object is sent as JSON; a string is sent verbatim, so it can be malformed JSON. */
				arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
			}),
		)
		.optional(),
	usage: usageSchema.optional(),
	/** Defaults to `tool-calls` when the reply has tool calls, else `end-turn`. */
	stopReason: z.enum(['end-turn', 'tool-calls', 'max-tokens', 'refusal']).optional(),
	/** The model the reply claims to come from; defaults to the requested model. */
	model: z.string().optional(),
	/**
	 * What the provider says about a refusal: Anthropic's `stop_details` (category, explanation);
	 * on Chat Completions the explanation is OpenAI's `refusal` message text.
	 */
	refusal: z.strictObject({ category: z.string().optional(), explanation: z.string().optional() }).optional(),
	/** Leaves usage out of the stream, as some OpenAI-compatible servers and gateways do. */
	omitUsage: z.boolean().optional(),
};

const stepSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('reply'), ...replyFields, expect: requestMatcherSchema.optional() }),
	z.strictObject({
		kind: z.literal('http-error'),
		status: z.number().int(),
		headers: z.record(z.string(), z.string()).optional(),
		message: z.string().optional(),
		/** The error's `code` in a Chat Completions body (e.g. `insufficient_quota`); Anthropic bodies have none. */
		code: z.string().optional(),
		expect: requestMatcherSchema.optional(),
	}),
	/**
	 * Streams the reply's first `afterEvents` events, then `socket-destroyed` (default) kills the
	 * connection, `stream-ended` ends the response cleanly but early, and `stalled` sends nothing
	 * more until the client goes away.
	 */
	z.strictObject({
		kind: z.literal('cut-off'),
		afterEvents: z.number().int(),
		ending: z.enum(['socket-destroyed', 'stream-ended', 'stalled']).optional(),
		...replyFields,
		expect: requestMatcherSchema.optional(),
	}),
	/** Streams the reply's first `afterEvents` events, then the provider's in-stream error event (e.g. Anthropic's overload). */
	z.strictObject({
		kind: z.literal('stream-error'),
		afterEvents: z.number().int(),
		errorType: z.string(),
		message: z.string(),
		...replyFields,
		expect: requestMatcherSchema.optional(),
	}),
	/** Answers with exactly this status, content type and body, whatever the wire format: a proxy's page, a gateway's error. */
	z.strictObject({
		kind: z.literal('raw'),
		status: z.number().int(),
		contentType: z.string(),
		body: z.string(),
		expect: requestMatcherSchema.optional(),
	}),
	/** Replays a recorded provider file verbatim: `*.chunks.txt` as SSE, `*.json` as the body. Relative to test/fixtures/provider-streams/. */
	z.strictObject({ kind: z.literal('recorded'), file: z.string(), expect: requestMatcherSchema.optional() }),
]);

type FileStep = z.infer<typeof stepSchema>;
type WithExpectation<S> = S extends unknown ? Omit<S, 'expect'> & { expect?: Expectation } : never;
export type Step = WithExpectation<FileStep>;
export type ReplyStep = Extract<Step, { kind: 'reply' }>;
/** The fields a reply and a cut-off share: what the model "says". */
export type ScriptedReply = Omit<ReplyStep, 'kind' | 'expect'>;
export type ScriptedUsage = z.infer<typeof usageSchema>;

const scenarioSchema = z.strictObject({ name: z.string(), description: z.string(), steps: z.array(stepSchema) });
export type Scenario = { name: string; description: string; steps: Step[] };

export const scenariosDirectory = path.join(__dirname, '..', '..', 'fixtures', 'scenarios');
export const providerStreamsDirectory = path.join(__dirname, '..', '..', 'fixtures', 'provider-streams');

/** Reads and validates test/fixtures/scenarios/<name>.json. */
export const loadScenario = (name: string): Scenario => {
	const file = path.join(scenariosDirectory, `${name}.json`);
	const parsed = scenarioSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
	if (!parsed.success) throw new Error(`Scenario ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
	return parsed.data;
};

export const defaultStopReason = (reply: ScriptedReply): NonNullable<ScriptedReply['stopReason']> =>
	reply.stopReason ?? ((reply.toolCalls?.length ?? 0) > 0 ? 'tool-calls' : 'end-turn');

/** A scripted tool call's arguments as the wire text the model "typed". */
export const argumentsText = (toolCall: NonNullable<ScriptedReply['toolCalls']>[number]): string =>
	typeof toolCall.arguments === 'string' ? toolCall.arguments : JSON.stringify(toolCall.arguments);

/** Splits text into `count` roughly equal fragments, as providers stream arguments and text. */
export const fragments = (text: string, count: number): string[] => {
	if (text.length <= 1) return [text];
	const size = Math.ceil(text.length / count);
	const pieces: string[] = [];
	for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
	return pieces;
};
