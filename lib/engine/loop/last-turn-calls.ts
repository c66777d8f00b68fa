import type { ToolCallPart } from '../model/messages';
import { toolResult, type PreparedCall } from './prepare-tool-calls';

/**
 * The calls of the turn that used the last of Max Turns. No model call will see their results, so
 * running a side effect now would do something the model can never confirm or report. Read-only
 * calls still run (their results stay in the transcript); every other call, gated ones included,
 * is answered "not run" and listed in the failure.
 */
export function withoutSideEffects(prepared: readonly PreparedCall[], maxTurns: number): { prepared: PreparedCall[]; unrun: ToolCallPart[] } {
	const unrun: ToolCallPart[] = [];
	const kept = prepared.map((call): PreparedCall => {
		if (call.state === 'answered' || (call.state === 'ready' && call.tool.readOnly === true)) return call;
		unrun.push(call.call);
		return { state: 'answered', call: call.call, result: toolResult(call.call, `Not run: this was the run's last turn (Max Turns ${maxTurns}), so no turn is left to use the result.`, true) };
	});
	return { prepared: kept, unrun };
}
