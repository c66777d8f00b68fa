/** Reading executions through n8n's public API, and waiting for the state a test needs. */

export type ExecutionStatus = 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting' | 'unknown';

type NodeRun = {
	executionStatus?: string;
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	error?: { message?: string; description?: string };
};

/** An execution as `GET /api/v1/executions/{id}?includeData=true` returns it (the fields tests read). */
export type Execution = {
	id: string;
	workflowId: string;
	status: ExecutionStatus;
	finished: boolean;
	data?: { resultData?: { runData?: Record<string, NodeRun[]>; error?: { message?: string; description?: string } } };
};

const pollMilliseconds = 250;
/** A bound on waiting for n8n, not a performance expectation: a run that never arrives fails here instead of hanging. */
const defaultPatienceMilliseconds = 60_000;

export type ExecutionReader = {
	get(executionId: string): Promise<Execution>;
	/** Executions of a workflow, newest first. */
	list(workflowId: string): Promise<Execution[]>;
	/** Polls until the execution has one of `statuses`; fails naming the status it was left in (after 60 s unless told). */
	waitForStatus(executionId: string, statuses: ExecutionStatus[], patienceMilliseconds?: number): Promise<Execution>;
	/** Polls until the workflow has an execution newer than `afterExecutionId`, then waits for one of `statuses`. */
	waitForNext(workflowId: string, afterExecutionId: string | undefined, statuses: ExecutionStatus[]): Promise<Execution>;
};

export function executionReader(baseUrl: string, apiKey: string): ExecutionReader {
	const get = async (path: string): Promise<unknown> => {
		const response = await fetch(new URL(`api/v1/${path}`, baseUrl), { headers: { 'X-N8N-API-KEY': apiKey, accept: 'application/json' } });
		const text = await response.text();
		if (!response.ok) throw new Error(`GET /api/v1/${path} failed: HTTP ${response.status} ${text.slice(0, 300)}`);
		return JSON.parse(text) as unknown;
	};
	const reader: ExecutionReader = {
		get: async (executionId) => (await get(`executions/${executionId}?includeData=true`)) as Execution,
		list: async (workflowId) => ((await get(`executions?workflowId=${encodeURIComponent(workflowId)}&limit=50`)) as { data: Execution[] }).data,
		async waitForStatus(executionId, statuses, patienceMilliseconds = defaultPatienceMilliseconds) {
			let execution = await reader.get(executionId);
			const deadline = Date.now() + patienceMilliseconds;
			while (!statuses.includes(execution.status)) {
				if (Date.now() > deadline) {
					throw new Error(`Execution ${executionId} is ${execution.status}, expected ${statuses.join(' or ')}: ${describeFailure(execution)}`);
				}
				await sleep(pollMilliseconds);
				execution = await reader.get(executionId);
			}
			return execution;
		},
		async waitForNext(workflowId, afterExecutionId, statuses) {
			const deadline = Date.now() + defaultPatienceMilliseconds;
			for (;;) {
				const [newest] = await reader.list(workflowId);
				if (newest !== undefined && (afterExecutionId === undefined || Number(newest.id) > Number(afterExecutionId))) {
					return await reader.waitForStatus(newest.id, statuses);
				}
				if (Date.now() > deadline) throw new Error(`Workflow ${workflowId} got no execution after ${afterExecutionId ?? 'none'}.`);
				await sleep(pollMilliseconds);
			}
		},
	};
	return reader;
}

/** The JSON items one run of a node put on one output. */
export function nodeOutput(execution: Execution, nodeName: string, { run = 0, output = 0 } = {}): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (runs === undefined) throw new Error(`Node "${nodeName}" did not run in execution ${execution.id}; ran: ${Object.keys(execution.data?.resultData?.runData ?? {}).join(', ')}`);
	const nodeRun = runs[run];
	if (nodeRun === undefined) throw new Error(`Node "${nodeName}" ran ${runs.length} time(s) in execution ${execution.id}, not ${run + 1}.`);
	return (nodeRun.data?.main?.[output] ?? []).map((item) => item.json);
}

/** How many times a node ran in the execution (0 when it never ran). */
export function nodeRunCount(execution: Execution, nodeName: string): number {
	return execution.data?.resultData?.runData?.[nodeName]?.length ?? 0;
}

/** The workflow's error, or the first node error, for failure messages. */
export function describeFailure(execution: Execution): string {
	const resultData = execution.data?.resultData;
	const nodeErrors = Object.entries(resultData?.runData ?? {}).flatMap(([name, runs]) =>
		runs.filter((run) => run.error).map((run) => `${name}: ${run.error?.message ?? ''} ${run.error?.description ?? ''}`.trim()),
	);
	return [resultData?.error?.message, ...nodeErrors].filter(Boolean).join(' | ') || 'no error recorded';
}

export function sleep(milliseconds: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
