import type { ToolJournal } from '../run-store';
import { mapWithConcurrency } from '../concurrency';
import type { ToolCallPart, ToolResultPart } from '../model/messages';
import type { Tool } from '../tools/tool';
import type { ContextPolicy } from '../context/context-policy';
import { offloadLargeToolResult } from '../context/offload-large-result';
import type { ToolOutputStore } from '../context/stored-output-note';
import { toolResult } from './prepare-tool-calls';
import type { RunContext } from './run-context';
import type { RunSignal } from './run-signal';

/** Tool output longer than this is cut before it reaches the model, so one call cannot flood the context. */
const maxToolOutputCharacters = 100_000;

export type ReadyCall = { call: ToolCallPart; tool: Tool; input: unknown };

export type ExecutionOptions = {
	concurrency: number;
	signal: AbortSignal;
	journal: ToolJournal;
	/**
	 * Look the call up in the journal first: set when continuing a paused run, where a retried resume
	 * may meet calls that already ran. A finished call returns its recorded result; a call that
	 * started but never finished is not run again, because it may have had its effect.
	 */
	consultJournal: boolean;
	/** With context management: results too large for the context are stored whole and replaced by a preview. */
	offload?: { store: ToolOutputStore; policy: ContextPolicy };
};

/** The run's settings for executing tool calls. */
export function executionOptions(context: RunContext, runSignal: RunSignal, options: { consultJournal: boolean }): ExecutionOptions {
	return {
		concurrency: context.spec.limits.toolConcurrency,
		signal: runSignal.signal,
		journal: context.deps.store.journal,
		consultJournal: options.consultJournal,
		offload: context.spec.contextPolicy ? { store: context.deps.store, policy: context.spec.contextPolicy } : undefined,
	};
}

/**
 * Runs calls and returns one result per call, in call order. Consecutive concurrency-safe calls run
 * together (at most `concurrency` at once); any other call runs alone, in the order the model made
 * it, so side effects happen in the order it asked for.
 */
export async function executeToolCalls(calls: readonly ReadyCall[], options: ExecutionOptions): Promise<ToolResultPart[]> {
	const results: ToolResultPart[] = [];
	for (const batch of batchesOf(calls)) {
		results.push(...(await mapWithConcurrency(batch, options.concurrency, (ready) => executeToolCall(ready, options))));
	}
	return results;
}

function batchesOf(calls: readonly ReadyCall[]): ReadyCall[][] {
	const batches: ReadyCall[][] = [];
	let safeBatch: ReadyCall[] = [];
	for (const ready of calls) {
		if (ready.tool.concurrencySafe) {
			safeBatch.push(ready);
			continue;
		}
		if (safeBatch.length > 0) batches.push(safeBatch);
		safeBatch = [];
		batches.push([ready]);
	}
	if (safeBatch.length > 0) batches.push(safeBatch);
	return batches;
}

/** Journal the intent, run the tool, turn anything thrown into an error result, journal the result. */
async function executeToolCall({ call, tool, input }: ReadyCall, options: ExecutionOptions): Promise<ToolResultPart> {
	const journaled = !tool.readOnly;
	if (options.consultJournal && journaled) {
		const entry = await options.journal.read(call.toolCallId);
		if (entry.result) return entry.result;
		if (entry.started) {
			return toolResult(call, `Tool '${call.toolName}' was started earlier but its outcome was not recorded (the process stopped). It was not run again, so it cannot take effect twice; check whether it took effect before retrying.`, true);
		}
	}
	if (options.signal.aborted) return toolResult(call, 'Not run: the agent run was stopped before this call.', true);
	if (journaled) await options.journal.recordIntent(call.toolCallId, { toolName: call.toolName, input });
	let result: ToolResultPart;
	try {
		const output = await tool.execute(input, { toolCallId: call.toolCallId, signal: options.signal });
		result = toolResult(call, stringifyToolOutput(output), false);
	} catch (error) {
		result = toolResult(call, `Tool '${call.toolName}' failed: ${error instanceof Error ? error.message : String(error)}`, true);
	}
	// Outside the try: a storage failure is the run's problem, not a tool error for the model.
	result = options.offload ? await offloadLargeToolResult(result, options.offload.store, options.offload.policy) : truncate(result);
	if (journaled) await options.journal.recordResult(call.toolCallId, result);
	return result;
}

function stringifyToolOutput(output: unknown): string {
	if (typeof output === 'string') return output;
	if (output === undefined) return '';
	return JSON.stringify(output);
}

/** Without context management, one call still cannot flood the context: its output is cut. */
function truncate(result: ToolResultPart): ToolResultPart {
	const text = result.output;
	if (text.length <= maxToolOutputCharacters) return result;
	return { ...result, output: `${text.slice(0, maxToolOutputCharacters)}\n[truncated: ${text.length - maxToolOutputCharacters} more characters]` };
}
