import type { ModelResponse } from '../model/language-model';
import type { ToolCallPart } from '../model/messages';
import { extractText, toolCallsOf } from '../model/messages';

/**
 * How one model turn ended, read from its stop reason and content. Every provider stop reason
 * lands in exactly one case, so no ending slips through as a silent success:
 * - `refused`: a refusal or content filter, whatever text came before it;
 * - `tool-calls`: the model asked for tools; `cutOffCall` is the last call when the output-token
 *   limit stopped the turn, whose arguments cannot be trusted to be complete;
 * - `answer`: a final answer, `cutOff` when the output-token limit stopped it mid-way;
 * - `empty`: no tool calls and no text but whitespace (a cut-off answer is never `empty`: it goes on).
 */
export type TurnEnding =
	| { kind: 'refused'; partialText: string; details?: string }
	| { kind: 'tool-calls'; calls: ToolCallPart[]; cutOffCall?: ToolCallPart }
	| { kind: 'answer'; text: string; cutOff: boolean }
	| { kind: 'empty' };

export function readTurnEnding(response: Pick<ModelResponse, 'message' | 'stopReason' | 'stopDetails'>): TurnEnding {
	const { message, stopReason, stopDetails } = response;
	const text = extractText(message);
	if (stopReason === 'refusal') return { kind: 'refused', partialText: text, ...(stopDetails ? { details: stopDetails } : {}) };
	const calls = toolCallsOf(message);
	const cutOff = stopReason === 'max-tokens';
	if (calls.length > 0) return { kind: 'tool-calls', calls, ...(cutOff ? { cutOffCall: calls[calls.length - 1] } : {}) };
	if (!cutOff && text.trim() === '') return { kind: 'empty' };
	return { kind: 'answer', text, cutOff };
}
