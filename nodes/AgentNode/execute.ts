import { randomUUID } from 'node:crypto';

import { NodeConnectionTypes, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency, runAgent, systemDeps, type RunOutcome, type Tool } from '../../lib/engine';
import { createRunStore } from '../../lib/storage';
import { agentSpecFromParameters } from './agent-spec-from-parameters';
import { builtinToolsFromParameters } from './builtin-tools-from-parameters';
import { toolsFromN8n } from './n8n-tools/from-n8n-tools';
import { storeFromParameters, type ConfiguredStore } from './store-from-parameters';

/** Runs the agent once per input item, `itemConcurrency` items at a time, and returns one output item each. */
export async function executeDurableAgent(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const storage = await storeFromParameters(context);
	const builtinTools = builtinToolsFromParameters(context);
	const concurrency = Number((context.getNodeParameter('options', 0, {}) as IDataObject).itemConcurrency ?? 5);

	const results = await mapWithConcurrency(items, concurrency, async (_item, itemIndex) => {
		try {
			return { ok: true as const, json: await runItem(context, itemIndex, storage, builtinTools) };
		} catch (error) {
			return { ok: false as const, error: asNodeError(context, error, itemIndex) };
		}
	});

	return [
		results.map((result, itemIndex) => {
			if (result.ok) return { json: result.json, pairedItem: { item: itemIndex } };
			if (!context.continueOnFail()) throw result.error;
			return {
				json: { status: 'failed', error: { code: 'node_error', message: result.error.message, description: result.error.description ?? undefined } },
				pairedItem: { item: itemIndex },
			};
		}),
	];
}

async function runItem(context: IExecuteFunctions, itemIndex: number, storage: ConfiguredStore, builtinTools: Tool[]): Promise<IDataObject> {
	// Tool sub-nodes are asked per item: their parameters may hold expressions on the item.
	const connectedTools = toolsFromN8n(await context.getInputConnectionData(NodeConnectionTypes.AiTool, itemIndex));
	const spec = await agentSpecFromParameters(context, itemIndex, [...builtinTools, ...connectedTools]);
	const taskValue = context.getNodeParameter('task', itemIndex, '') as unknown;
	const task = taskValue === undefined || taskValue === null ? '' : String(taskValue).trim();
	if (task === '') {
		throw new NodeOperationError(context.getNode(), 'The task is empty', {
			itemIndex,
			description: "Write what the agent should do in 'Task', or fix the expression there: it evaluated to nothing for this item.",
		});
	}
	const runId = randomUUID();
	const store = createRunStore(storage.store, {
		prefix: storage.prefix,
		workflowId: context.getWorkflow().id ?? 'unsaved',
		executionId: context.getExecutionId() ?? 'manual',
		nodeId: context.getNode().id,
		runId,
	});
	const outcome = await runAgent(spec, { runId, task }, systemDeps(store, context.getExecutionCancelSignal()));
	if (outcome.status === 'failed' && !context.continueOnFail()) {
		throw new NodeOperationError(context.getNode(), `${outcome.error.code}: ${outcome.error.message}`, {
			itemIndex,
			description: `Run ${outcome.runId}; transcript at ${outcome.transcript}`,
		});
	}
	return outcomeJson(outcome);
}

function outcomeJson(outcome: RunOutcome): IDataObject {
	const common = { runId: outcome.runId, turns: outcome.turns, usage: outcome.usage, transcript: outcome.transcript };
	if (outcome.status === 'done') return { status: 'done', output: outcome.output, ...common } as IDataObject;
	return { status: 'failed', error: outcome.error, ...common };
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : new Error(String(error)), { itemIndex });
}
