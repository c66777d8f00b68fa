import type { ToolDefinition } from '../model/language-model';
import type { FilePart, Message } from '../model/messages';

/**
 * How the engine keeps a long run inside the model's context window. The raw transcript in storage
 * is never touched: these settings only shape what each request shows the model.
 */
export type ContextPolicy = {
	/** The model's context window, in tokens. */
	contextWindowTokens: number;
	/** Tool results shown in full, counted back from the latest; older ones are shortened. */
	keepRecentToolResults: number;
	/** Characters an older tool result keeps once shortened. */
	shortenedToolResultCharacters: number;
	/** A tool result longer than this is stored as an object and the model gets a preview and a reference. */
	largeToolResultCharacters: number;
	/** Older turns are summarised once a request is estimated above this fraction of the context window. */
	summarizeAtFraction: number;
};

/** The defaults for a model with this context window; throws if the window is not a positive whole number. */
export function defaultContextPolicy(contextWindowTokens: number): ContextPolicy {
	if (!Number.isInteger(contextWindowTokens) || contextWindowTokens <= 0) {
		throw new Error(`The context window must be a positive whole number of tokens, got ${contextWindowTokens}. Set it to the model's context window, e.g. 200000.`);
	}
	return {
		contextWindowTokens,
		keepRecentToolResults: 6,
		shortenedToolResultCharacters: 500,
		largeToolResultCharacters: 20_000,
		summarizeAtFraction: 0.7,
	};
}

/**
 * An estimate, not a count: about four characters per token, which holds for English prose and
 * JSON with the common tokenizers and undercounts languages written without spaces. Provider
 * tokenizers are not available offline; the thresholds leave room for the error.
 */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

/** Estimated size of a whole request: system prompt, tool definitions and messages. */
export function estimateRequestTokens(system: string, messages: readonly Message[], tools: readonly ToolDefinition[]): number {
	return estimateStablePrefixTokens(system, tools) + messages.reduce((sum, message) => sum + estimateMessageTokens(message), 0);
}

/** Estimated size of one message, with tool calls counted as their name and JSON arguments. */
export function estimateMessageTokens(message: Message): number {
	let tokens = 0;
	for (const part of message.content) {
		switch (part.type) {
			case 'text':
				tokens += estimateTokens(part.text);
				break;
			case 'reasoning':
				tokens += estimateTokens(part.redactedData ?? part.text);
				break;
			case 'tool-call':
				tokens += estimateTokens(part.toolName + (typeof part.input === 'string' ? part.input : (JSON.stringify(part.input) ?? '')));
				break;
			case 'tool-result':
				tokens += estimateTokens(part.output);
				break;
			case 'file':
				tokens += estimateFileTokens(part);
				break;
		}
	}
	return tokens;
}

/**
 * Refuses a run whose system prompt and tool definitions alone exceed the context window: no
 * request could ever fit, and the provider would only say so after the first call was paid for.
 */
export function checkStablePrefixFits(system: string, tools: readonly ToolDefinition[], policy: ContextPolicy): void {
	const prefixTokens = estimateStablePrefixTokens(system, tools);
	if (prefixTokens <= policy.contextWindowTokens) return;
	throw new Error(
		`The instructions and tool definitions alone are about ${prefixTokens} tokens, more than the context window of ${policy.contextWindowTokens} tokens. ` +
			`Raise the context window setting if the model allows more, shorten the instructions, or connect fewer tools (${tools.length} are connected).`,
	);
}

function estimateStablePrefixTokens(system: string, tools: readonly ToolDefinition[]): number {
	return estimateTokens(system) + tools.reduce((sum, tool) => sum + estimateTokens(JSON.stringify(tool)), 0);
}

/**
 * A rough size for a file the model is sent, which its bytes do not tell: an image costs at most
 * about 1,600 tokens once the provider has scaled it (Anthropic's vision guide); a PDF's pages are
 * read as text and images, estimated here at a token per 25 bytes of file.
 */
function estimateFileTokens(part: FilePart): number {
	return part.mediaType === 'application/pdf' ? Math.ceil(part.size / 25) : 1_600;
}
