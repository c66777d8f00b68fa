import { z } from 'zod/v4';

/**
 * A human's decision on one pending call. `approve` may carry edited arguments (validated against
 * the tool's schema before the call runs); `reject` returns the reason to the model; `answer`
 * becomes the result of an `ask_human` question.
 */
export const decisionSchema = z.discriminatedUnion('decision', [
	z.strictObject({ toolCallId: z.string().min(1), decision: z.literal('approve'), arguments: z.record(z.string(), z.unknown()).optional() }),
	z.strictObject({ toolCallId: z.string().min(1), decision: z.literal('reject'), reason: z.string().max(10_000).optional() }),
	z.strictObject({ toolCallId: z.string().min(1), decision: z.literal('answer'), answer: z.string().max(100_000) }),
]);

export type Decision = z.infer<typeof decisionSchema>;

/** The body of a decision request from any system: `{ "decisions": [ … ] }`. */
export const decisionRequestSchema = z.strictObject({
	decisions: z.array(decisionSchema).min(1).max(1000),
	/** The approval token, when it is not in the URL's `token` query parameter. */
	token: z.string().optional(),
});

export type DecisionRequest = z.infer<typeof decisionRequestSchema>;
