import type { IExecuteFunctions, IRunExecutionData, ITaskData } from 'n8n-workflow';

/**
 * What the agent can see of the runs n8n records for its tool sub-nodes in this execution. n8n's
 * own tool nodes report a failed call there, not in what the call returns: the MCP Client Tool
 * (on an `isError` answer), the Code Tool and the HTTP Request Tool return the error's text as a
 * normal result and record a NodeOperationError on their run (`addOutputData(ai_tool, index, error)`).
 */
export type SubNodeRuns = {
	/** Notes the errors the node has recorded so far; call before the tool runs. */
	watchCall(nodeName: string): CallWatch;
};

export type CallWatch = {
	/**
	 * Whether the node recorded an error during the call, given the text the call returned. If so,
	 * the run holding it is marked failed: n8n's tool wrapper records the returned text as the
	 * call's output after the node recorded its error, which heads the run "Success" in n8n's log.
	 */
	failed(resultText: string): boolean;
};

type WithRunData = { runExecutionData?: IRunExecutionData | null };

const errorsOf = (runs: readonly ITaskData[]): Set<Error> => new Set(runs.flatMap((run) => (run?.error ? [run.error] : [])));

/**
 * The sub-node runs of the execution `context` belongs to, or undefined when this n8n does not
 * expose them. n8n-core's execute context holds the live run data as a public field that the
 * IExecuteFunctions interface does not declare; without it, failures are still seen when a tool
 * throws or returns an error ToolMessage.
 */
export function subNodeRunsOf(context: IExecuteFunctions): SubNodeRuns | undefined {
	const runData = () => (context as WithRunData).runExecutionData?.resultData?.runData;
	if (runData() === undefined) return undefined;
	const runsOf = (nodeName: string): readonly ITaskData[] => runData()?.[nodeName] ?? [];
	return {
		watchCall(nodeName) {
			const errorsBefore = errorsOf(runsOf(nodeName));
			return {
				failed(resultText) {
					// The error is this call's only when its message is in the returned text: a call of the
					// same node for another item may record its own error meanwhile.
					const recorded = [...errorsOf(runsOf(nodeName))].find(
						(error) => !errorsBefore.has(error) && error.message !== '' && resultText.includes(error.message),
					);
					if (recorded === undefined) return false;
					for (const run of runsOf(nodeName)) if (run?.error === recorded) run.executionStatus = 'error';
					return true;
				},
			};
		},
	};
}
