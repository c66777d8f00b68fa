import { z } from 'zod/v4';

import type { JsonSchema } from '../engine';
import { decisionSchema } from '../engine/pause/decisions';
import type { DecisionPayload, PauseReference, PausedItemJson, PendingCallView, WaitRecord } from './pause-contract';

/**
 * zod schemas for the pause contract (nodes/shared/pause-contract.ts) where its data enters this
 * node from outside: input items (anything can be wired to the node), the wait record and decision
 * records (read back from storage). Each is typed against the contract, so the two cannot drift.
 */

const id = z.string().min(1);

export const pauseReferenceSchema: z.ZodType<PauseReference> = z.object({
	workflowId: id,
	executionId: id,
	nodeId: id,
	runId: id,
	pauseId: id,
	snapshotKey: id,
	snapshotHash: id,
	token: id,
});

const jsonSchemaSchema: z.ZodType<JsonSchema> = z.record(z.string(), z.json());

export const pendingCallViewSchema: z.ZodType<PendingCallView> = z.object({
	toolCallId: id,
	toolName: id,
	kind: z.enum(['approval', 'question']),
	arguments: z.unknown(),
	inputSchema: jsonSchemaSchema,
	reason: z.string().optional(),
});

const usageSchema = z.object({
	inputTokens: z.number(),
	outputTokens: z.number(),
	cacheReadTokens: z.number(),
	cacheWriteTokens: z.number(),
});

export const pausedItemSchema: z.ZodType<PausedItemJson> = z.object({
	status: z.literal('paused'),
	runId: id,
	reference: pauseReferenceSchema,
	pending: z.array(pendingCallViewSchema).min(1),
	lastMessage: z.string(),
	approvalUrl: z.string(),
	usage: usageSchema,
	turns: z.number(),
	transcript: z.string(),
});

export const waitRecordSchema: z.ZodType<WaitRecord> = z.object({
	waitId: id,
	workflowId: id,
	workflowName: z.string(),
	executionId: id,
	resumeNodeName: z.string(),
	createdAt: z.string(),
	expiresAt: z.string().optional(),
	items: z
		.array(
			z.object({
				agentNodeName: z.string(),
				reference: pauseReferenceSchema,
				pending: z.array(pendingCallViewSchema).min(1),
				lastMessage: z.string(),
			}),
		)
		.min(1),
});

export const decisionPayloadSchema: z.ZodType<DecisionPayload> = z.object({
	reference: pauseReferenceSchema,
	decisions: z.array(decisionSchema).min(1),
	decidedAt: z.string(),
});
