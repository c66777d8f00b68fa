import { mapWithConcurrency } from '../concurrency';
import type { ToolCallPart, ToolResultPart } from '../model/messages';
import type { Tool } from '../tools/tool';
import { validateToolInput } from '../tools/validate-tool-input';

/** Tool output longer than this is cut before it reaches the model, so one call cannot flood the context. */
const maxToolOutputCharacters = 100_000;

/**
 * Runs one turn's tool calls and returns one result per call, in call order.
 * Consecutive concurrency-safe calls run together (at most `concurrency` at once); any other call
 * runs alone, in the order the model made it, so side effects happen in the order it asked for.
 */
export async function executeToolCalls(
	calls: readonly ToolCallPart[],
	tools: ReadonlyMap<string, Tool>,
	options: { concurrency: number; signal: AbortSignal },
): Promise<ToolResultPart[]> {
	const results: ToolResultPart[] = [];
	for (const batch of batchesOf(calls, tools)) {
		results.push(...(await mapWithConcurrency(batch, options.concurrency, (call) => executeToolCall(call, tools, options.signal))));
	}
	return results;
}

function batchesOf(calls: readonly ToolCallPart[], tools: ReadonlyMap<string, Tool>): ToolCallPart[][] {
	const batches: ToolCallPart[][] = [];
	let safeBatch: ToolCallPart[] = [];
	for (const call of calls) {
		if (tools.get(call.toolName)?.concurrencySafe) {
			safeBatch.push(call);
			continue;
		}
		if (safeBatch.length > 0) batches.push(safeBatch);
		safeBatch = [];
		batches.push([call]);
	}
	if (safeBatch.length > 0) batches.push(safeBatch);
	return batches;
}

/** Parse the input, run the tool, and turn anything thrown into an error result the model can read. */
export async function executeToolCall(
	call: ToolCallPart,
	tools: ReadonlyMap<string, Tool>,
	signal: AbortSignal,
): Promise<ToolResultPart> {
	const result = (output: string, isError: boolean): ToolResultPart => ({
		type: 'tool-result',
		toolCallId: call.toolCallId,
		toolName: call.toolName,
		output: truncate(output),
		isError,
	});
	const tool = tools.get(call.toolName);
	if (!tool) {
		const available = [...tools.keys()].join(', ') || 'none';
		return result(`Unknown tool '${call.toolName}'. Available tools: ${available}.`, true);
	}
	const validated = validateToolInput(tool, call.input);
	if (!validated.ok) return result(validated.message, true);
	if (signal.aborted) return result('Not run: the agent run was stopped before this call.', true);
	try {
		const output = await tool.execute(validated.input, { toolCallId: call.toolCallId, signal });
		return result(stringifyToolOutput(output), false);
	} catch (error) {
		return result(`Tool '${call.toolName}' failed: ${error instanceof Error ? error.message : String(error)}`, true);
	}
}

function stringifyToolOutput(output: unknown): string {
	if (typeof output === 'string') return output;
	if (output === undefined) return '';
	return JSON.stringify(output);
}

function truncate(text: string): string {
	if (text.length <= maxToolOutputCharacters) return text;
	return `${text.slice(0, maxToolOutputCharacters)}\n[truncated: ${text.length - maxToolOutputCharacters} more characters]`;
}
