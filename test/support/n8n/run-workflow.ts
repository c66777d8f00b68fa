import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	IBinaryKeyData,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeTypes,
	IRun,
	IRunExecutionData,
	ITaskData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import { createAdditionalData } from './additional-data';
import type { TestCredentials } from './credentials-helper';
import { createNodeTypes, type NodeTypeClass } from './node-types';
import { prepareTestInstance } from './test-instance';

/** A workflow node as tests write it: `id`, `position`, `typeVersion` and `parameters` are optional. */
export type TestWorkflowNode = Omit<INode, 'id' | 'position' | 'typeVersion' | 'parameters'> &
	Partial<Pick<INode, 'id' | 'position' | 'typeVersion' | 'parameters'>>;

export type RunWorkflowOptions = {
	/** Every node class the workflow uses; a node's `type` is its class's `description.name`. */
	nodeTypes: NodeTypeClass[];
	nodes: TestWorkflowNode[];
	/** n8n's connection map, e.g. `{ Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] } }`. */
	connections: IConnections;
	/** Items the start node emits, as their `json`. Defaults to one empty item. */
	inputItems?: IDataObject[];
	/** Binary data of the start node's items, by item index (n8n's in-memory form: base64 `data`, `mimeType`, `fileName`). */
	inputBinary?: Array<IBinaryKeyData | undefined>;
	/** Defaults to the first node. */
	startNodeName?: string;
	/** Decrypted data by credential type; nodes declaring a given type get it without further set-up. */
	credentials?: TestCredentials;
	executionId?: string;
	workflowId?: string;
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
};

/** One run of one node. */
export type NodeRun = {
	/** Items on each `main` output, by output index. */
	outputs: INodeExecutionData[][];
	/** Set when the run failed without continuing on fail. */
	error?: ExecutionError;
	/** Everything n8n recorded for the run, including sub-node connection data (`ai_tool`). */
	task: ITaskData;
};

export type WorkflowRunResult = {
	status: ExecutionStatus;
	/** The error that stopped the execution, if any. */
	error?: ExecutionError;
	/** Runs of every node that ran (sub-nodes included), by node name. */
	nodeRuns: Record<string, NodeRun[]>;
	run: IRun;
};

/**
 * Runs a workflow in this process with n8n-core's real WorkflowExecute: expressions, paired items,
 * continueOnFail, credentials and sub-node connections (`ai_tool`, …) behave as in n8n, without a
 * server or database. The start node is put on the execution stack with `inputItems`, the way n8n
 * starts a webhook execution. A node that calls `putExecutionToWait` leaves the result `waiting`.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	return await execute(options, (nodes) =>
		createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node: findStartNode(nodes, options.startNodeName),
						data: { main: [(options.inputItems ?? [{}]).map((json, index) => ({ json, ...(options.inputBinary?.[index] ? { binary: options.inputBinary[index] } : {}) }))] },
						source: null,
					},
				],
			},
		}),
	);
}

/**
 * Continues a `waiting` execution the way n8n's waiting webhook does: the waiting node is not run
 * again, `resumeItems` become its output, and the workflow goes on from there (possibly to wait
 * again). Pass the same options the execution was started with.
 */
export async function resumeWorkflow(
	options: RunWorkflowOptions,
	waiting: WorkflowRunResult,
	resumeItems: IDataObject[],
): Promise<WorkflowRunResult> {
	if (waiting.status !== 'waiting') {
		throw new Error(`Only a waiting execution can be resumed; this one is "${waiting.status}".`);
	}
	return await execute(options, () => {
		// n8n reloads the execution from its database; a copy keeps the earlier result as it was.
		const runExecutionData = structuredClone(waiting.run.data);
		const waitingEntry = runExecutionData.executionData?.nodeExecutionStack[0];
		if (waitingEntry === undefined) {
			throw new Error('The waiting execution has no node to resume.');
		}
		waitingEntry.data = { main: [resumeItems.map((json) => ({ json }))] };
		return runExecutionData;
	});
}

async function execute(
	options: RunWorkflowOptions,
	createRunData: (nodes: INode[]) => IRunExecutionData,
): Promise<WorkflowRunResult> {
	prepareTestInstance();
	const nodeTypes = createNodeTypes(options.nodeTypes);
	const nodes = options.nodes.map((node, index) => completeNode(node, index, nodeTypes, options.credentials ?? {}));
	const runExecutionData = createRunData(nodes);
	const executionId = options.executionId ?? 'test-execution-1';
	const workflowId = options.workflowId ?? 'test-workflow';
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: workflowId,
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1', ...options.settings },
	});
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: workflow.name ?? '',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: options.connections,
	});
	const additionalData = createAdditionalData({ credentials: options.credentials ?? {}, hooks, executionId, workflowId });

	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	return {
		status: run.status,
		error: run.data.resultData.error,
		nodeRuns: Object.fromEntries(
			Object.entries(run.data.resultData.runData).map(([nodeName, tasks]) => [nodeName, tasks.map(toNodeRun)]),
		),
		run,
	};
}

/** The `json` of the items a node put on one output, for concise assertions. */
export function outputJson(
	result: WorkflowRunResult,
	nodeName: string,
	{ output = 0, run = 0 }: { output?: number; run?: number } = {},
): IDataObject[] {
	const nodeRun = result.nodeRuns[nodeName]?.[run];
	if (nodeRun === undefined) {
		throw new Error(`Node "${nodeName}" has no run ${run}; nodes that ran: ${Object.keys(result.nodeRuns).join(', ')}.`);
	}
	return (nodeRun.outputs[output] ?? []).map((item) => item.json);
}

function completeNode(node: TestWorkflowNode, index: number, nodeTypes: INodeTypes, credentials: TestCredentials): INode {
	const typeVersion = node.typeVersion ?? 1;
	const declaredCredentials = nodeTypes.getByNameAndVersion(node.type, typeVersion).description.credentials ?? [];
	const nodeCredentials = { ...node.credentials };
	for (const { name } of declaredCredentials) {
		// n8n refuses getCredentials() unless the node references a stored credential of that type.
		if (credentials[name] !== undefined && nodeCredentials[name] === undefined) {
			nodeCredentials[name] = { id: `test-${name}`, name: `Test ${name}` };
		}
	}
	return {
		...node,
		id: node.id ?? `node-${index + 1}`,
		position: node.position ?? [index * 200, 0],
		typeVersion,
		parameters: node.parameters ?? {},
		credentials: nodeCredentials,
	};
}

function findStartNode(nodes: INode[], startNodeName: string | undefined): INode {
	const startNode = startNodeName === undefined ? nodes[0] : nodes.find((node) => node.name === startNodeName);
	if (startNode === undefined) {
		throw new Error(`The workflow has no node named "${startNodeName ?? '(none: the workflow is empty)'}" to start from.`);
	}
	return startNode;
}

function toNodeRun(task: ITaskData): NodeRun {
	return {
		outputs: (task.data?.main ?? []).map((items) => items ?? []),
		...(task.error === undefined ? {} : { error: task.error }),
		task,
	};
}
