import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const whenRecovering = { show: { mode: ['recoverRuns'] } };

export const recoverModeOption: INodePropertyOptions = {
	name: 'Recover Runs',
	value: 'recoverRuns',
	description: "Find this workflow's runs left stranded by a crash: decided ones to continue (wire them into the agent), and pauses nobody waits on; no model is called",
};

/** The Recover Runs mode's settings: which runs to look at and which to report. */
export const recoverProperties: INodeProperties[] = [
	{
		displayName: 'Workflow ID',
		name: 'recoverWorkflowId',
		type: 'string',
		default: '={{ $workflow.id }}',
		required: true,
		displayOptions: whenRecovering,
		description: 'The workflow whose runs to look at; by default the one this node is in',
	},
	{
		displayName: 'Execution ID',
		name: 'recoverExecutionId',
		type: 'string',
		default: '',
		displayOptions: whenRecovering,
		placeholder: 'e.g. {{ $json.execution.id }} after an Error Trigger',
		description: 'Only the runs of this execution; empty looks at every execution of the workflow',
	},
	{
		displayName: 'Report',
		name: 'recoverReport',
		type: 'options',
		options: [
			{ name: 'Runs That Need Attention', value: 'attention', description: 'Runs to continue (first output), and runs a person must decide or check (second output)' },
			{ name: 'All Runs', value: 'all', description: 'Also running, waiting, done and failed runs, with their state, on the second output' },
		],
		default: 'attention',
		displayOptions: whenRecovering,
	},
];
