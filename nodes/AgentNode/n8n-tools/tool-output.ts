/** A LangChain ToolMessage, read by shape: this package must not load `@langchain/core` at runtime. */
type ToolMessageLike = { content: unknown; status?: unknown; tool_call_id: unknown };

const isToolMessage = (value: unknown): value is ToolMessageLike =>
	typeof value === 'object' && value !== null && 'tool_call_id' in value && 'content' in value;

/** Text of message content: a string, or content blocks whose text parts are joined. */
const contentText = (content: unknown): string => {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return JSON.stringify(content);
	return content
		.map((block: unknown) => (typeof block === 'object' && block !== null && 'text' in block ? String((block as { text: unknown }).text) : JSON.stringify(block)))
		.join('');
};

/** What an n8n tool call returned: its output for the model, and whether the tool said it failed. */
export type ToolOutput = { output: unknown; failed: boolean };

/**
 * Reads what a tool's `invoke` returned. A tool may answer with a ToolMessage (LangChain passes one
 * through unchanged): its content is the output, and status `error` is the tool saying it failed.
 */
export function readToolOutput(returned: unknown): ToolOutput {
	if (!isToolMessage(returned)) return { output: returned, failed: false };
	return { output: contentText(returned.content), failed: returned.status === 'error' };
}

/** The output as the text the model will read. */
export function outputText(output: unknown): string {
	if (typeof output === 'string') return output;
	return output === undefined ? '' : JSON.stringify(output);
}
