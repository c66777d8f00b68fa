/**
 * Why a decision request was refused, before anything was written: a stable code for programs
 * (the Resume node turns it into an HTTP status) and a message that says what to do.
 */
export type RefusalCode =
	| 'token_missing'
	| 'token_invalid'
	| 'token_expired'
	| 'token_for_other_item'
	| 'wait_not_found'
	| 'wait_expired'
	| 'pause_replaced'
	| 'already_resumed'
	| 'already_decided'
	| 'unknown_tool_call'
	| 'ambiguous_tool_call'
	| 'duplicate_decision'
	| 'invalid_decision'
	| 'incomplete_item'
	| 'snapshot_gone'
	| 'snapshot_mismatch';

export type Refusal = { code: RefusalCode; message: string; details?: string[] };

export function refusal(code: RefusalCode, message: string, details?: string[]): Refusal {
	return { code, message, ...(details ? { details } : {}) };
}
