import { z } from 'zod/v4';

/**
 * What the run paused on. `approval`: a tool call needs a human's go-ahead before it runs;
 * `question`: the model asked the human something through `ask_human`, and the answer is the result;
 * `budget`: the run spent its budget before this turn's tool calls ran, and a person may allow as
 * much again (approve) or end it (reject). A `budget` entry is not a model tool call.
 * `reason` says why the call was held (the rule that held it, or why its condition could not be
 * evaluated), for the person deciding; absent in snapshots written before it existed.
 */
export const pendingCallSchema = z.strictObject({
	toolCallId: z.string(),
	toolName: z.string(),
	input: z.unknown(),
	kind: z.enum(['approval', 'question', 'budget']),
	reason: z.string().optional(),
});

export type PendingCall = z.infer<typeof pendingCallSchema>;
