import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { defaultRunLeaseMs, runLeaseFromEnvironment } from '../../../lib/engine';
import { listWorkflowRuns } from '../../../lib/replay';
import { loadSigningSecret } from '../../../lib/storage';
import { expectedNumber, numberSchema } from '../number-parameter';
import type { ConfiguredStore } from '../store-from-parameters';

const limitRule = { integer: true, min: 1 };

/**
 * The List Runs mode: one item per stored run of a workflow, newest first (see lib/replay/list-runs.ts),
 * on the first output. Each item is what Replay Run's default 'Run to Replay' reads. No model is called.
 */
export async function executeListRuns(context: IExecuteFunctions, storage: ConfiguredStore): Promise<INodeExecutionData[][]> {
	const listed: INodeExecutionData[] = [];
	const secret = await loadSigningSecret(storage.store, storage.prefix);
	const leaseMs = runLeaseFromEnvironment() ?? defaultRunLeaseMs;
	for (let itemIndex = 0; itemIndex < context.getInputData().length; itemIndex++) {
		const workflowId = String(context.getNodeParameter('listWorkflowId', itemIndex, '') ?? '').trim();
		if (workflowId === '') {
			throw new NodeOperationError(context.getNode(), 'The Workflow ID is empty', { itemIndex, description: "Set 'Workflow ID' to the workflow whose runs to list, e.g. {{ $workflow.id }}." });
		}
		const limit = numberSchema(limitRule, 50).safeParse(context.getNodeParameter('listLimit', itemIndex, 50));
		if (!limit.success) throw new NodeOperationError(context.getNode(), `'Limit' must be ${expectedNumber(limitRule)}`, { itemIndex });
		const runs = await listWorkflowRuns(storage, {
			workflowId,
			nowMs: Date.now(),
			leaseMs,
			secret,
			limit: limit.data,
			replayableOnly: context.getNodeParameter('listReplayableOnly', itemIndex, true) !== false,
			withReplays: context.getNodeParameter('listIncludeReplays', itemIndex, false) === true,
		});
		for (const run of runs) listed.push({ json: run as IDataObject, pairedItem: { item: itemIndex } });
	}
	return [listed, []];
}
