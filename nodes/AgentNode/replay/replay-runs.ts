import { randomUUID } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { itemConcurrencyFromParameters } from '../agent-options';
import { jsonParameterValue } from '../json-parameter';

import { mapWithConcurrency } from '../../../lib/engine';
import { ReplayError, replayStoredRun, type ReplayOutcome } from '../../../lib/replay';
import { builtinToolsFromParameters } from '../builtin-tools-from-parameters';
import { itemAgentSpec } from '../item-agent';
import { expectedNumber, numberSchema } from '../number-parameter';
import type { ConfiguredStore } from '../store-from-parameters';

const turnRule = { integer: true, min: 0 };

/**
 * The Replay Run mode: for each item, the stored run it names is re-run with this node's current
 * model, instructions, tools and output settings, as a new run in this execution (see
 * lib/engine/replay/replay-agent.ts). Each item leaves on the first output with the comparison of
 * the two runs and the new run's transcript. A replay never pauses, so the second output stays empty.
 */
export async function executeReplayRuns(context: IExecuteFunctions, storage: ConfiguredStore): Promise<INodeExecutionData[][]> {
	const builtinTools = builtinToolsFromParameters(context);
	const concurrency = itemConcurrencyFromParameters(context);
	const results = await mapWithConcurrency(context.getInputData(), concurrency, async (_item, itemIndex) => {
		try {
			return { ok: true as const, replayed: await replayItem(context, itemIndex, storage, await itemAgentSpec(context, itemIndex, builtinTools)) };
		} catch (error) {
			return { ok: false as const, error: asNodeError(context, error, itemIndex) };
		}
	});
	const compared: INodeExecutionData[] = [];
	for (const [itemIndex, result] of results.entries()) {
		const pairedItem = { item: itemIndex };
		if (!result.ok) {
			if (!context.continueOnFail()) throw result.error;
			compared.push({ json: { status: 'failed', error: { code: 'node_error', message: result.error.message, description: result.error.description ?? undefined } }, pairedItem });
			continue;
		}
		const { outcome, comparison } = result.replayed;
		const json = { ...comparison, transcript: outcome.transcript, ...(outcome.warnings ? { warnings: outcome.warnings } : {}) };
		compared.push({ json: json as unknown as IDataObject, pairedItem });
	}
	return [compared, []];
}

async function replayItem(context: IExecuteFunctions, itemIndex: number, storage: ConfiguredStore, spec: Awaited<ReturnType<typeof itemAgentSpec>>): Promise<ReplayOutcome> {
	const fromTurn = numberSchema(turnRule, 0).safeParse(context.getNodeParameter('replayFromTurn', itemIndex, 0));
	if (!fromTurn.success) throw new NodeOperationError(context.getNode(), `'From Turn' must be ${expectedNumber(turnRule)}`, { itemIndex });
	const safeTools = String(context.getNodeParameter('replaySafeTools', itemIndex, '') ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	return await replayStoredRun({
		storage,
		source: jsonParameterValue(context.getNodeParameter('replayRun', itemIndex)),
		spec,
		fromTurn: fromTurn.data,
		safeTools,
		replay: { workflowId: context.getWorkflow().id ?? 'unsaved', executionId: context.getExecutionId() ?? 'manual', nodeId: context.getNode().id, runId: randomUUID() },
		signal: context.getExecutionCancelSignal(),
	});
}

/** A JSON parameter holds an object (from an expression) or JSON text (typed in). */
function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof ReplayError) return new NodeOperationError(context.getNode(), error.message, { itemIndex, description: `Replay refused (${error.code}); nothing ran and nothing was written.` });
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : new Error(String(error)), { itemIndex });
}
