import type { ToolCallPart, ToolResultPart } from '../model/messages';
import type { PendingCall } from '../pause/pending-call';
import type { Tool } from '../tools/tool';
import { gateOf } from '../tools/approval-gate';
import { validateToolInput } from '../tools/validate-tool-input';

/**
 * A call after checking: answered at once (unknown tool or invalid arguments: the model gets an
 * error it can fix), ready to run, or waiting for a human.
 */
export type PreparedCall =
	| { state: 'answered'; call: ToolCallPart; result: ToolResultPart }
	| { state: 'ready'; call: ToolCallPart; tool: Tool; input: unknown }
	| { state: 'pending'; call: ToolCallPart; pending: PendingCall };

export function toolResult(call: Pick<ToolCallPart, 'toolCallId' | 'toolName'>, output: string, isError: boolean): ToolResultPart {
	return { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output, isError };
}

/** Validates each call and applies the tools' approval policies. Invalid calls are never gated. */
export async function prepareToolCalls(calls: readonly ToolCallPart[], tools: ReadonlyMap<string, Tool>): Promise<PreparedCall[]> {
	const prepared: PreparedCall[] = [];
	for (const call of calls) {
		const tool = tools.get(call.toolName);
		if (!tool) {
			const available = [...tools.keys()].join(', ') || 'none';
			prepared.push({ state: 'answered', call, result: toolResult(call, `Unknown tool '${call.toolName}'. Available tools: ${available}.`, true) });
			continue;
		}
		const validated = validateToolInput(tool, call.input);
		if (!validated.ok) {
			prepared.push({ state: 'answered', call, result: toolResult(call, validated.message, true) });
			continue;
		}
		const gate = await gateOf(tool, validated.input);
		if (!gate.held) {
			prepared.push({ state: 'ready', call, tool, input: validated.input });
			continue;
		}
		const pending: PendingCall = { toolCallId: call.toolCallId, toolName: call.toolName, input: validated.input, kind: gate.kind };
		prepared.push({ state: 'pending', call, pending: gate.reason === undefined ? pending : { ...pending, reason: gate.reason } });
	}
	return prepared;
}
