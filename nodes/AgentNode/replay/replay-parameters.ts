import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const whenReplaying = { show: { mode: ['replayRun'] } };
const whenListing = { show: { mode: ['listRuns'] } };

export const replayModeOption: INodePropertyOptions = {
	name: 'Replay Run',
	value: 'replayRun',
	description:
		"Re-run a stored run with this node's current model, instructions, tools and output, as a new run: calls the original made get its recorded results, nothing else runs unless marked safe; outputs what changed",
};

export const listRunsModeOption: INodePropertyOptions = {
	name: 'List Runs',
	value: 'listRuns',
	description: "List a workflow's stored runs, newest first (one item each, ready for Replay Run); no model is called",
};

/** Replay Run's settings: which stored run, from which turn, and which tools may really run. */
export const replayProperties: INodeProperties[] = [
	{
		displayName: 'Run to Replay',
		name: 'replayRun',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		displayOptions: whenReplaying,
		description:
			"An item of List Runs (workflowId, executionId, nodeId, runId), of Needs Approval (its reference) or of Done (its transcript), or a transcript location. The run must be in this node's Storage.",
	},
	{
		displayName: 'From Turn',
		name: 'replayFromTurn',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		displayOptions: whenReplaying,
		description: "0 replays from the start. N keeps the original's first N turns (answers and tool results) and lets the model take turn N+1 with the current settings.",
	},
	{
		displayName: 'Tools Safe to Run',
		name: 'replaySafeTools',
		type: 'string',
		default: '',
		placeholder: 'e.g. get_weather, search_docs',
		displayOptions: whenReplaying,
		description:
			"Tool names, comma-separated, whose calls may really run in a replay when the original never made them (same tool, same arguments). Every other such call is answered 'not available in a replay'. Never list tools with side effects.",
	},
];

/** List Runs' settings: whose runs, how many, and which. */
export const listRunsProperties: INodeProperties[] = [
	{
		displayName: 'Workflow ID',
		name: 'listWorkflowId',
		type: 'string',
		default: '={{ $workflow.id }}',
		required: true,
		displayOptions: whenListing,
		description: 'The workflow whose runs to list; by default the one this node is in. Its runs must be in this node’s Storage.',
	},
	{
		displayName: 'Limit',
		name: 'listLimit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 50,
		displayOptions: whenListing,
		description: 'Max number of runs to return, newest first',
	},
	{
		displayName: 'Replayable Runs Only',
		name: 'listReplayableOnly',
		type: 'boolean',
		default: true,
		displayOptions: whenListing,
		description: 'Whether to leave out runs still running, interrupted or unreadable (Replay Run refuses them)',
	},
	{
		displayName: 'Include Replays',
		name: 'listIncludeReplays',
		type: 'boolean',
		default: false,
		displayOptions: whenListing,
		description: 'Whether to also list runs that are themselves replays of other runs',
	},
];
