import { z } from 'zod/v4';

import { decisionSchema } from '../../lib/engine';
import { decisionField, type DecisionPayload } from './pause-contract';

export const pauseReferenceSchema = z.object({
	workflowId: z.string().min(1),
	executionId: z.string().min(1),
	nodeId: z.string().min(1),
	runId: z.string().min(1),
	pauseId: z.string().min(1),
	snapshotKey: z.string().min(1),
	snapshotHash: z.string().regex(/^[0-9a-f]{64}$/),
	token: z.string().min(1),
});

const decisionPayloadSchema = z.object({
	reference: pauseReferenceSchema,
	decisions: z.array(decisionSchema).min(1),
	decidedAt: z.string().optional(),
});

export type PayloadParse = { ok: true; payload: DecisionPayload } | { ok: false; message: string };

/** Validates a decision payload from an item or from the Continue mode's expressions. */
export function parseDecisionPayload(value: unknown): PayloadParse {
	const parsed = decisionPayloadSchema.safeParse(value);
	if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
	return { ok: true, payload: { ...parsed.data, decidedAt: parsed.data.decidedAt ?? new Date().toISOString() } };
}

/** The decision payload an item carries, when it is a decision item from Durable AI Agent Resume. */
export function decisionPayloadOf(json: Record<string, unknown>): unknown {
	return json[decisionField];
}
