import { randomUUID } from 'node:crypto';

import { signApprovalToken, type PausedItemJson, type PendingCallView, type WaitRecord } from '../../../../lib/resume';
import { writeWaitRecord } from '../../../../lib/resume/wait-record';
import { createRunStore, loadSigningSecret, type BlobStore } from '../../../../lib/storage';
import type { NodeLocation } from '../../../../lib/storage/keys';

/** What the tests' executions are called; the webhook server serves this execution. */
export const testIds = { workflowId: 'workflow-1', executionId: 'execution-7', agentNodeId: 'agent-node', resumeNodeId: 'resume-node' };

export const bookFlightSchema = {
	type: 'object',
	properties: { to: { type: 'string', minLength: 3, maxLength: 3 }, seats: { type: 'integer', minimum: 1, maximum: 9 } },
	required: ['to', 'seats'],
	additionalProperties: false,
};

export const approvalCall = (toolCallId: string, args: unknown = { to: 'LIS', seats: 2 }): PendingCallView => ({
	toolCallId,
	toolName: 'book_flight',
	kind: 'approval',
	arguments: args,
	inputSchema: bookFlightSchema,
});

export const questionCall = (toolCallId: string, question: string): PendingCallView => ({
	toolCallId,
	toolName: 'ask_human',
	kind: 'question',
	arguments: { question },
	inputSchema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] },
});

type PauseOptions = { pending: PendingCallView[]; lastMessage?: string; tokenExpiresAt?: number; executionId?: string };

/**
 * Pauses a run the way the Durable AI Agent does: the snapshot written through the run store (write
 * once, SHA-256 of its bytes), a token signed with the store's secret, the paused item it emits.
 */
export async function pauseAgentRun(store: BlobStore, prefix: string, options: PauseOptions): Promise<PausedItemJson> {
	const executionId = options.executionId ?? testIds.executionId;
	const runId = randomUUID();
	const pauseId = randomUUID();
	const location = { prefix, workflowId: testIds.workflowId, executionId, nodeId: testIds.agentNodeId, runId };
	const lastMessage = options.lastMessage ?? 'I found a flight and want to book it.';
	const snapshot = {
		schemaVersion: 1,
		runId,
		pauseId,
		pausedAt: new Date().toISOString(),
		definition: { model: 'claude-test', tools: options.pending.map((call) => ({ name: call.toolName, schemaHash: 'test' })), outputHash: 'text' },
		system: 'You are a careful travel agent.',
		messages: [
			{ role: 'user', content: [{ type: 'text', text: 'Book me a flight to Lisbon.' }] },
			{
				role: 'assistant',
				content: [
					{ type: 'text', text: lastMessage },
					...options.pending.map((call) => ({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: call.arguments })),
				],
			},
		],
		pending: options.pending.map((call) => ({ toolCallId: call.toolCallId, toolName: call.toolName, input: call.arguments, kind: call.kind })),
		completedResults: [],
		usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0 },
		turns: 1,
		repairTurnsUsed: 0,
	};
	const stored = await createRunStore(store, location).writeSnapshot(pauseId, JSON.stringify(snapshot));
	const secret = await loadSigningSecret(store, prefix);
	const token = signApprovalToken(secret, {
		executionId,
		runId,
		pauseId,
		snapshotHash: stored.hash,
		...(options.tokenExpiresAt === undefined ? {} : { expiresAt: options.tokenExpiresAt }),
	});
	return {
		status: 'paused',
		runId,
		reference: { workflowId: testIds.workflowId, executionId, nodeId: testIds.agentNodeId, runId, pauseId, snapshotKey: stored.key, snapshotHash: stored.hash, token },
		pending: options.pending,
		lastMessage,
		approvalUrl: `http://localhost:5678/webhook-waiting/${executionId}?signature=test&token=${encodeURIComponent(token)}`,
		usage: snapshot.usage,
		turns: 1,
		transcript: `${store.location}/transcript/`,
	};
}

export const resumeNodeLocation = (prefix: string, executionId = testIds.executionId): NodeLocation => ({
	prefix,
	workflowId: testIds.workflowId,
	executionId,
	nodeId: testIds.resumeNodeId,
});

/** The wait record the Resume node's execute() writes for these paused items. */
export async function startWait(store: BlobStore, prefix: string, paused: PausedItemJson[], options: { expiresAt?: string } = {}): Promise<WaitRecord> {
	const record: WaitRecord = {
		waitId: randomUUID(),
		workflowId: testIds.workflowId,
		workflowName: 'Travel <bookings> & "approvals"',
		executionId: testIds.executionId,
		resumeNodeName: 'Wait for approval',
		createdAt: new Date().toISOString(),
		...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
		items: paused.map((item) => ({
			agentNodeName: 'Travel Agent',
			reference: item.reference,
			pending: item.pending,
			lastMessage: item.lastMessage,
			...(item.pauseNumber === undefined ? {} : { pauseNumber: item.pauseNumber }),
			...(item.costUsd === undefined ? {} : { costUsd: item.costUsd }),
		})),
	};
	await writeWaitRecord({ store, prefix }, { workflowId: testIds.workflowId, executionId: testIds.executionId, resumeNodeId: testIds.resumeNodeId }, record);
	return record;
}

/** One paused run with approval calls `pending`, and the Resume node waiting for it. */
export async function waitForApprovals(store: BlobStore, prefix: string, ...pending: string[]): Promise<PausedItemJson> {
	const paused = await pauseAgentRun(store, prefix, { pending: pending.map((id) => approvalCall(id)) });
	await startWait(store, prefix, [paused]);
	return paused;
}
