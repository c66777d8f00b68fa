import { z } from 'zod/v4';

import { stopReasonSchema } from './model/language-model';
import { messageSchema, toolResultPartSchema, usageSchema, type Message } from './model/messages';
import { decisionSchema } from './pause/decisions';
import { pendingCallSchema } from './pause/pending-call';

/** `process`: which process (`host:pid`) wrote the entry; fields added after the first version are optional. */
const process = z.string().optional();

/**
 * One line of a run's transcript (one NDJSON object per turn, see lib/storage/run-store.ts). The
 * transcript keeps every raw turn, whatever the request view shortened or summarised.
 * - `message`: a message as it joined the conversation (the task, an answer, tool results, a repair request).
 * - `usage`: what the turn's model call cost, why it stopped and which model answered.
 * - `model-error`: the model call failed for good; the run failed with it.
 * - `structured-output-rejected`: the endpoint refused the JSON schema; the run asks by instructions from then on.
 * - `summary` / `summary-failed`: older turns were folded into a summary, or could not be.
 * - `paused` / `decisions`: the run paused on these calls; a person decided them.
 */
export const transcriptEntrySchema = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('message'), message: messageSchema }),
	z.strictObject({
		type: z.literal('usage'),
		usage: usageSchema,
		stopReason: stopReasonSchema.optional(),
		modelId: z.string(),
		usedFallback: z.boolean(),
		process,
	}),
	z.strictObject({ type: z.literal('model-error'), message: z.string() }),
	z.strictObject({ type: z.literal('structured-output-rejected'), message: z.string() }),
	z.strictObject({ type: z.literal('summary'), summarizedMessageCount: z.number().int().min(0), text: z.string(), usage: usageSchema }),
	/** `usage`: present when the model answered (with nothing usable) and was billed. */
	z.strictObject({ type: z.literal('summary-failed'), message: z.string(), usage: usageSchema.optional() }),
	z.strictObject({ type: z.literal('paused'), pauseId: z.string(), pending: z.array(pendingCallSchema), completedResults: z.array(toolResultPartSchema), process }),
	z.strictObject({ type: z.literal('decisions'), pauseId: z.string(), decisions: z.array(decisionSchema), process }),
]);
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

/** The transcript entry of one message. */
export const messageEntry = (message: Message): TranscriptEntry => ({ type: 'message', message });
