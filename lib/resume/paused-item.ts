import type { AgentSpec, PendingCall, RunOutcome } from '../engine';
import { budgetFailure, runCost } from '../engine/budget/budget-check';
import { totalTokens } from '../engine/model/messages';
import { signApprovalToken } from './approval-token';
import { approvalUrl } from './approval-url';
import type { BudgetSpending, PausedItemJson, PauseReference, PendingCallView } from './pause-contract';
import { readPauseSnapshot } from './pause-snapshot';
import { countRunPauses } from './run-pauses';
import type { ResumeStorage } from './resume-storage';

/** The n8n ids that own a paused run: its workflow, execution and agent node. */
export type PausedRunIds = { workflowId: string; executionId: string; nodeId: string };

/** What the agent node hands over when a run paused: the outcome, the agent, the ids, its storage and secret, and n8n's resume URL. */
export type PausedItemRequest = {
	outcome: Extract<RunOutcome, { status: 'paused' }>;
	spec: AgentSpec;
	ids: PausedRunIds;
	storage: ResumeStorage;
	secret: Buffer;
	/** `$execution.resumeUrl`: n8n's URL of the waiting webhook of this execution. */
	resumeUrl: string;
	/** The execution emitting the item, when it is not the run's own (`ids`): a run continued from another execution. */
	waitingIn?: { workflowId: string; executionId: string };
};

/** The Needs Approval output's JSON: what a person (or system) needs to decide, and the signed reference to resume. */
export async function pausedItem({ outcome, spec, ids, storage, secret, resumeUrl, waitingIn }: PausedItemRequest): Promise<PausedItemJson> {
	const { pause } = outcome;
	const elsewhere = waitingIn !== undefined && (waitingIn.executionId !== ids.executionId || waitingIn.workflowId !== ids.workflowId);
	const waiting = elsewhere ? waitingIn : ids;
	const token = signApprovalToken(secret, { executionId: waiting.executionId, runId: outcome.runId, pauseId: pause.pauseId, snapshotHash: pause.snapshotHash });
	const reference: PauseReference = {
		workflowId: ids.workflowId,
		executionId: ids.executionId,
		nodeId: ids.nodeId,
		runId: outcome.runId,
		pauseId: pause.pauseId,
		snapshotKey: pause.snapshotKey,
		snapshotHash: pause.snapshotHash,
		token,
		...(elsewhere ? { waitingIn: { workflowId: waitingIn.workflowId, executionId: waitingIn.executionId } } : {}),
	};
	const schemas = new Map(spec.tools.map((tool) => [tool.name, tool.inputSchema]));
	const view = async (call: PendingCall): Promise<PendingCallView> => {
		const fields = {
			toolCallId: call.toolCallId,
			toolName: call.toolName,
			arguments: call.input,
			inputSchema: schemas.get(call.toolName) ?? {},
			...(call.reason === undefined ? {} : { reason: call.reason }),
		};
		if (call.kind !== 'budget') return { ...fields, kind: call.kind };
		return { ...fields, kind: 'budget', spending: await budgetSpending(storage, reference, spec) };
	};
	const pending = await Promise.all(pause.pending.map(view));
	return {
		status: 'paused',
		runId: outcome.runId,
		reference,
		pending,
		summary: pending.map(describePending).join('\n'),
		lastMessage: pause.lastMessage,
		approvalUrl: approvalUrl(resumeUrl, token),
		usage: outcome.usage,
		turns: outcome.turns,
		transcript: outcome.transcript,
		pauseNumber: await countRunPauses(storage, reference),
		...(outcome.costUsd === undefined ? {} : { costUsd: outcome.costUsd }),
	};
}

/** What the run spent against its budgets; how often it was already allowed more is in its snapshot. */
async function budgetSpending(storage: ResumeStorage, reference: PauseReference, spec: AgentSpec): Promise<BudgetSpending> {
	const read = await readPauseSnapshot(storage, reference);
	if (!read.ok) throw new Error(`The run paused on its budget, but its snapshot cannot be read back: ${read.refusal.message}`);
	const { usage, budgetGrants } = read.snapshot;
	const costUsd = runCost(spec, usage);
	return {
		exceeded: budgetFailure(spec, usage, budgetGrants)?.code === 'cost_budget' ? 'cost_budget' : 'token_budget',
		spentTokens: totalTokens(usage),
		...(costUsd === undefined ? {} : { spentCostUsd: costUsd }),
		...(spec.limits.maxTotalTokens === undefined ? {} : { tokenBudget: spec.limits.maxTotalTokens }),
		...(spec.limits.maxCostUsd === undefined ? {} : { costBudgetUsd: spec.limits.maxCostUsd }),
		approvals: budgetGrants,
	};
}

/** One line per pending call, as a message in any channel shows it. */
function describePending(call: PendingCallView): string {
	if (call.kind === 'question') {
		const question = (call.arguments as { question?: unknown } | null)?.question;
		return `Question: ${typeof question === 'string' ? question : JSON.stringify(call.arguments)}`;
	}
	if (call.kind === 'budget') return `Budget reached (${call.spending.exceeded}): ${call.spending.spentTokens} tokens spent; approve to allow as much again`;
	return `${call.toolName} ${JSON.stringify(call.arguments)}${call.reason === undefined ? '' : ` (held because: ${call.reason})`}`;
}
