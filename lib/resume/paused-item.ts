import type { AgentSpec, RunOutcome } from '../engine';
import { signApprovalToken } from './approval-token';
import { approvalUrl } from './approval-url';
import type { PausedItemJson, PauseReference } from './pause-contract';

/** The n8n ids that own a paused run: its workflow, execution and agent node. */
export type PausedRunIds = { workflowId: string; executionId: string; nodeId: string };

/** What the agent node hands over when a run paused: the outcome, the agent, the ids, the store's secret and n8n's resume URL. */
export type PausedItemRequest = {
	outcome: Extract<RunOutcome, { status: 'paused' }>;
	spec: AgentSpec;
	ids: PausedRunIds;
	secret: Buffer;
	/** `$execution.resumeUrl`: n8n's URL of the waiting webhook of this execution. */
	resumeUrl: string;
};

/** The Needs Approval output's JSON: what a person (or system) needs to decide, and the signed reference to resume. */
export function pausedItem({ outcome, spec, ids, secret, resumeUrl }: PausedItemRequest): PausedItemJson {
	const { pause } = outcome;
	const token = signApprovalToken(secret, { executionId: ids.executionId, runId: outcome.runId, pauseId: pause.pauseId, snapshotHash: pause.snapshotHash });
	const reference: PauseReference = { ...ids, runId: outcome.runId, pauseId: pause.pauseId, snapshotKey: pause.snapshotKey, snapshotHash: pause.snapshotHash, token };
	const schemas = new Map(spec.tools.map((tool) => [tool.name, tool.inputSchema]));
	return {
		status: 'paused',
		runId: outcome.runId,
		reference,
		pending: pause.pending.map((call) => ({
			toolCallId: call.toolCallId,
			toolName: call.toolName,
			kind: call.kind,
			arguments: call.input,
			inputSchema: schemas.get(call.toolName) ?? {},
			...(call.reason === undefined ? {} : { reason: call.reason }),
		})),
		lastMessage: pause.lastMessage,
		approvalUrl: approvalUrl(resumeUrl, token),
		usage: outcome.usage,
		turns: outcome.turns,
		transcript: outcome.transcript,
	};
}
