import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { signApprovalToken, type AgentSpec, type RunOutcome } from '../../lib/engine';
import type { PausedItemJson, PauseReference } from '../shared/pause-contract';
import { approvalUrl } from '../shared/approval-url';

type RunIds = { workflowId: string; executionId: string; nodeId: string };

/** The Done output's JSON for a finished or failed run. */
export function finishedItemJson(outcome: Exclude<RunOutcome, { status: 'paused' }>): IDataObject {
	const common = {
		runId: outcome.runId,
		turns: outcome.turns,
		usage: outcome.usage,
		costUsd: outcome.costUsd ?? null,
		transcript: outcome.transcript,
		...(outcome.warnings ? { warnings: outcome.warnings } : {}),
	};
	// Which model answered: the provider's id for it, and whether the fallback model stood in for the main one.
	if (outcome.status === 'done') return { status: 'done', output: outcome.output, model: outcome.answeredBy.modelId, usedFallback: outcome.answeredBy.usedFallback, ...common } as IDataObject;
	return { status: 'failed', error: outcome.error, ...common };
}

/** The Needs Approval output's JSON: what a person (or system) needs to decide, and the reference to resume. */
export function pausedItemJson(
	context: IExecuteFunctions,
	itemIndex: number,
	outcome: Extract<RunOutcome, { status: 'paused' }>,
	spec: AgentSpec,
	ids: RunIds,
	secret: Buffer,
): PausedItemJson {
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
		approvalUrl: approvalUrl(String(context.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex)), token),
		usage: outcome.usage,
		turns: outcome.turns,
		transcript: outcome.transcript,
	};
}
