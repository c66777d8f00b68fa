import { randomUUID } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod/v4';

import { mapWithConcurrency, runAgent, systemDeps, type AgentSpec, type RunOutcome } from '../../lib/engine';
import { continuePausedRun, decisionField, decisionPayloadSchema, pausedItemSchema, settleTimedOutItem, type ContinuationRequest, type DecisionPayload, type PausedItemJson, type PausedRunIds } from '../../lib/resume';
import { createRunStore, loadSigningSecret } from '../../lib/storage';
import { itemConcurrencyFromParameters } from './agent-options';
import { jsonParameterValue } from './json-parameter';
import { builtinToolsFromParameters } from './builtin-tools-from-parameters';
import { workItemsOf } from './channel-replies/work-items';
import { itemStream, streamApprovalRequest } from './chat/chat-stream';
import { itemAgentSpec } from './item-agent';
import { filesFromItem } from './files/files-from-item';
import { executeManageMemory } from './memory/manage-memory';
import { memoryFromParameters } from './memory/memory-from-parameters';
import { executeRecoverRuns } from './recover/recover-runs';
import { executeListRuns } from './replay/list-runs';
import { executeReplayRuns } from './replay/replay-runs';
import { conversationOf, readChatHistory, type LangChainMemory } from './n8n-memory/chat-memory';
import { chatMemoryFor } from './n8n-memory/chat-memory-from-node';
import { finishedItemJson, pausedItemJson } from './output-items';
import { storeFromParameters, type ConfiguredStore } from './store-from-parameters';
import { timeoutPolicyOfSource } from '../shared/timeout-policy';

/** Modes that start no agent run of their own; Run Agent and Continue Paused Run are handled below. */
const modesWithoutAgentRuns: Readonly<Record<string, (context: IExecuteFunctions, storage: ConfiguredStore) => Promise<INodeExecutionData[][]>>> = {
	manageMemory: executeManageMemory,
	recoverRuns: executeRecoverRuns,
	listRuns: executeListRuns,
	replayRun: executeReplayRuns,
};

/** `runIds`: where a continued run lives, when a decision item brought it here (it may be another execution's). */
type ItemResult = { ok: true; outcome: RunOutcome; spec: AgentSpec; runIds?: PausedRunIds } | { ok: true; again: PausedItemJson } | { ok: false; error: NodeOperationError };

/**
 * Runs the agent once per input item, `itemConcurrency` items at a time. Output 0 (Done) gets
 * finished and failed runs, output 1 (Needs approval) paused ones. Decision items continue the
 * paused run they point at.
 */
export async function executeDurableAgent(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const storage = await storeFromParameters(context);
	if (storage.warning) context.logger.warn(storage.warning);
	const otherMode = modesWithoutAgentRuns[String(context.getNodeParameter('mode', 0, 'run'))];
	if (otherMode) return await otherMode(context, storage);
	const builtinTools = builtinToolsFromParameters(context);
	const concurrency = itemConcurrencyFromParameters(context);
	let secret: Promise<Buffer> | undefined;
	const signingSecret = () => (secret ??= loadSigningSecret(storage.store, storage.prefix));

	// A send-and-wait reply stands for the decisions it makes on each paused item it answers (channel-replies/).
	const work = await workItemsOf(context, items, storage);
	const results = await mapWithConcurrency(work, concurrency, async (item): Promise<ItemResult> => {
		const { itemIndex } = item;
		try {
			if ('again' in item) return { ok: true, again: item.again };
			if ('error' in item) throw item.error;
			const chatMemory = await chatMemoryFor(context, itemIndex);
			const spec: AgentSpec = {
				...(await itemAgentSpec(context, itemIndex, builtinTools)),
				memory: memoryFromParameters(context, itemIndex, storage),
				...(chatMemory ? { conversation: conversationOf(chatMemory) } : {}),
			};
			const decision = await decisionFor(context, itemIndex, item.json, storage);
			const outcome = decision
				? await continueRun(context, itemIndex, { storage, secret: await signingSecret(), spec, payload: decision, executionId: executionIdOf(context), signal: context.getExecutionCancelSignal() })
				: await startRun(context, itemIndex, storage, spec, chatMemory);
			return { ok: true, outcome, spec, ...(decision ? { runIds: { workflowId: decision.reference.workflowId, executionId: decision.reference.executionId, nodeId: decision.reference.nodeId } } : {}) };
		} catch (error) {
			return { ok: false, error: asNodeError(context, error, itemIndex) };
		}
	});

	const done: INodeExecutionData[] = [];
	const needsApproval: INodeExecutionData[] = [];
	for (const [position, result] of results.entries()) {
		const { itemIndex } = work[position];
		const pairedItem = { item: itemIndex };
		if (!result.ok) {
			if (!context.continueOnFail()) throw result.error;
			done.push({ json: { status: 'failed', error: { code: 'node_error', message: result.error.message, description: result.error.description ?? undefined } }, pairedItem });
			continue;
		}
		if ('again' in result) {
			needsApproval.push({ json: result.again as unknown as IDataObject, pairedItem });
			continue;
		}
		const { outcome } = result;
		if (outcome.status === 'paused') {
			const here = { workflowId: workflowIdOf(context), executionId: executionIdOf(context), nodeId: context.getNode().id };
			const json = await pausedItemJson(context, itemIndex, { outcome, spec: result.spec, ids: result.runIds ?? here, waitingIn: here, storage, secret: await signingSecret() });
			streamApprovalRequest(context, itemIndex, json.approvalUrl);
			needsApproval.push({ json: json as unknown as IDataObject, pairedItem });
			continue;
		}
		if (outcome.status === 'failed' && !context.continueOnFail()) {
			throw new NodeOperationError(context.getNode(), `${outcome.error.code}: ${outcome.error.message}`, {
				itemIndex,
				description: `Run ${outcome.runId}; transcript at ${outcome.transcript}`,
			});
		}
		done.push({ json: withWarning(finishedItemJson(outcome), storage.warning), pairedItem });
	}
	return [done, needsApproval];
}

/** Applies a decision to the paused run it points at; a decision that cannot be applied fails the item, changing nothing. */
async function continueRun(context: IExecuteFunctions, itemIndex: number, request: ContinuationRequest): Promise<RunOutcome> {
	const continuation = await continuePausedRun(request);
	if (!continuation.ok) throw new NodeOperationError(context.getNode(), continuation.message, { itemIndex, description: continuation.description });
	return continuation.outcome;
}

async function startRun(context: IExecuteFunctions, itemIndex: number, storage: ConfiguredStore, spec: AgentSpec, chatMemory: LangChainMemory | undefined): Promise<RunOutcome> {
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
		workflowId: workflowIdOf(context),
		executionId: executionIdOf(context),
		nodeId: context.getNode().id,
		runId,
	});
	const history = chatMemory ? await readChatHistory(chatMemory) : undefined;
	const files = await filesFromItem(context, itemIndex);
	const stream = itemStream(context, itemIndex);
	const deps = { ...systemDeps(store, context.getExecutionCancelSignal()), ...(stream ? { streamText: stream.write } : {}) };
	try {
		return await runAgent(spec, { runId, task, files, ...(history ? { history } : {}) }, deps);
	} finally {
		stream?.close();
	}
}

/**
 * The decision an item asks to apply: a decision item from the Resume node, (Continue mode) the
 * expressions, or — for a paused item the Resume node passed back because its time limit ran out —
 * the Resume node's On Timeout policy.
 */
async function decisionFor(context: IExecuteFunctions, itemIndex: number, json: IDataObject, storage: ConfiguredStore): Promise<DecisionPayload | undefined> {
	if (json.status === 'paused' && json.reference !== undefined) return await timedOutDecision(context, itemIndex, json, storage);
	const continueMode = context.getNodeParameter('mode', itemIndex, 'run') === 'continue';
	const value = continueMode
		? {
				reference: jsonParameterValue(context.getNodeParameter('pauseReference', itemIndex)),
				decisions: jsonParameterValue(context.getNodeParameter('decisions', itemIndex)),
				decidedAt: new Date().toISOString(),
			}
		: json[decisionField];
	if (value === undefined) return undefined;
	// Decision items from systems other than the Resume node may leave out when they decided.
	const payload = typeof value === 'object' && value !== null && !Array.isArray(value) ? { decidedAt: new Date().toISOString(), ...value } : value;
	const parsed = decisionPayloadSchema.safeParse(payload);
	if (parsed.success) return parsed.data;
	throw new NodeOperationError(context.getNode(), continueMode ? 'The pause reference or decisions are invalid' : 'The decision item is invalid', {
		itemIndex,
		description: z.prettifyError(parsed.error),
	});
}

async function timedOutDecision(context: IExecuteFunctions, itemIndex: number, json: IDataObject, storage: ConfiguredStore): Promise<DecisionPayload> {
	const policy = timeoutPolicyOfSource(context);
	const paused = pausedItemSchema.safeParse(json);
	if (policy === undefined || !paused.success) {
		throw new NodeOperationError(context.getNode(), 'A paused item came back to the agent without a decision', {
			itemIndex,
			description: "Connect the agent's Needs Approval output to a Durable AI Agent Resume node, and that node's output back into the agent.",
		});
	}
	const settled = await settleTimedOutItem(storage, paused.data, policy, new Date());
	if (!settled.ok) throw new NodeOperationError(context.getNode(), settled.message, { itemIndex, description: "The Resume node's On Timeout is set to Fail." });
	return settled.payload;
}

function withWarning(json: IDataObject, warning: string | undefined): IDataObject {
	if (!warning) return json;
	return { ...json, warnings: [...((json.warnings as string[] | undefined) ?? []), warning] };
}

const workflowIdOf = (context: IExecuteFunctions) => context.getWorkflow().id ?? 'unsaved';
const executionIdOf = (context: IExecuteFunctions) => context.getExecutionId() ?? 'manual';

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : new Error(String(error)), { itemIndex });
}

