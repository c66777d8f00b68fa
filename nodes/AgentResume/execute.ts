import { NodeOperationError, WAIT_INDEFINITELY, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { beginWait, pausedItemSchema, waitingExecutionOf, type PausedItemJson, type WaitRecord } from '../../lib/resume';
import { storeFromParameters } from '../AgentNode/store-from-parameters';
import type { ResumeDeps } from './resume-deps';
import { waitLimitMilliseconds } from './wait-limit';

/**
 * Starts the wait: records what the approval page must show (the webhook may run on another
 * process and has only storage), then parks the execution. n8n requires items back; they are the
 * input, unchanged, which is also what n8n passes on if the time limit ends the wait.
 */
export async function startWaiting(context: IExecuteFunctions, deps: ResumeDeps): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const paused = items.map((item, itemIndex) => pausedItemOf(context, item.json, itemIndex));
	const workflowId = context.getWorkflow().id ?? 'unsaved';
	const executionId = context.getExecutionId();
	const pauseIds = new Set<string>();
	paused.forEach(({ reference }, itemIndex) => {
		if (pauseIds.has(reference.pauseId)) {
			throw new NodeOperationError(context.getNode(), `Paused item ${itemIndex + 1} is a copy of an earlier input item (pause ${reference.pauseId})`, {
				itemIndex,
				description: 'Each pause can be decided once: connect the agent\'s "Needs approval" output directly, without nodes that duplicate items.',
			});
		}
		pauseIds.add(reference.pauseId);
		const waiting = waitingExecutionOf(reference);
		if (waiting.executionId !== executionId || waiting.workflowId !== workflowId) {
			throw new NodeOperationError(context.getNode(), `Paused item ${itemIndex + 1} belongs to another execution (${waiting.executionId})`, {
				itemIndex,
				description: 'A paused run can only be decided in the execution that paused it. Connect this node to the agent in the same workflow, and do not pin the agent\'s output.',
			});
		}
	});

	const now = deps.now();
	const limit = waitLimitMilliseconds(context);
	const expiresAt = limit === undefined ? undefined : new Date(now.getTime() + limit);
	const agentNodeName = sourceNodeName(context);
	const record: WaitRecord = {
		waitId: deps.newId(),
		workflowId,
		workflowName: context.getWorkflow().name ?? '',
		executionId,
		resumeNodeName: context.getNode().name,
		createdAt: now.toISOString(),
		...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
		items: paused.map((item) => ({
			agentNodeName: agentNodeName ?? item.reference.nodeId,
			reference: item.reference,
			pending: item.pending,
			lastMessage: item.lastMessage,
			...(item.pauseNumber === undefined ? {} : { pauseNumber: item.pauseNumber }),
			...(item.costUsd === undefined ? {} : { costUsd: item.costUsd }),
		})),
	};
	const storage = await storeFromParameters(context);
	const refused = await beginWait(storage, { workflowId, executionId, resumeNodeId: context.getNode().id }, record);
	if (refused) {
		throw new NodeOperationError(context.getNode(), refused.message, {
			description: 'Choose the same Storage (and Local Folder or S3 credential) as the Durable AI Agent that paused.',
		});
	}
	await context.putExecutionToWait(expiresAt ?? WAIT_INDEFINITELY);
	return [items.map((item, itemIndex) => ({ json: item.json, pairedItem: { item: itemIndex } }))];
}

function pausedItemOf(context: IExecuteFunctions, json: unknown, itemIndex: number): PausedItemJson {
	const parsed = pausedItemSchema.safeParse(json);
	if (parsed.success) return parsed.data;
	throw new NodeOperationError(context.getNode(), `Item ${itemIndex + 1} is not a paused item of a Durable AI Agent`, {
		itemIndex,
		description:
			'Connect the Durable AI Agent\'s "Needs approval" output directly to this node (send notifications from another branch of that output), and this node\'s output back into the agent.',
	});
}

/** The node the items came from (the agent), for the page; absent when the node runs first, e.g. from pinned data. */
function sourceNodeName(context: IExecuteFunctions): string | undefined {
	try {
		return context.getInputSourceData(0)?.previousNode;
	} catch {
		return undefined;
	}
}
