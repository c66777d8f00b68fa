import type { JsonSchema } from '../model/messages';

export type ToolContext = {
	toolCallId: string;
	/** Aborted when the run times out or n8n cancels the execution. */
	signal: AbortSignal;
};

/**
 * When a call of the tool needs a human first. `when` decides per call: `evaluate` gets a frozen
 * copy of the validated arguments, and only a result of exactly `false` lets the call run — `true`,
 * any other value, a rejected promise or a thrown error holds it (see approval-gate.ts).
 * `condition` is the rule as its author wrote it, shown to the person deciding. `question` marks
 * `ask_human`, whose calls never run: the human's answer is the result.
 */
export type ApprovalPolicy =
	| { type: 'never' }
	| { type: 'always' }
	| { type: 'when'; condition: string; evaluate(input: unknown): unknown }
	| { type: 'question' };

/**
 * One tool the agent can call. `execute` may throw: the engine turns anything thrown into an error
 * result for the model. Input has been validated against `inputSchema` before `execute` runs.
 */
export type Tool = {
	name: string;
	description: string;
	inputSchema: JsonSchema;
	/** Safe to run at the same time as other concurrency-safe calls of the same turn. */
	concurrencySafe: boolean;
	/** Absent means `never`. */
	approval?: ApprovalPolicy;
	/**
	 * The tool only reads: running a call twice changes nothing. Its calls are not journaled (the
	 * journal exists so side effects happen once), which saves two writes per call.
	 */
	readOnly?: boolean;
	execute(input: unknown, context: ToolContext): Promise<unknown>;
};
