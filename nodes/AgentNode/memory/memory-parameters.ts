import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { noAgentModes } from '../recover/no-agent-modes';

/** Memory settings apply to runs (Run Agent and Continue Paused Run), not to Manage Memory. */
const whenMemoryOn: IDisplayOptions = { show: { memory: ['readOnly', 'readWrite'] }, hide: { mode: noAgentModes } };
const whenManaging: IDisplayOptions = { show: { mode: ['manageMemory'] } };

/** Scope and Scope Key, shown under Memory for runs and again for Manage Memory: one meaning, two places. */
function scopeProperties(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Memory Scope',
			name: 'memoryScope',
			type: 'options',
			options: [
				{ name: 'This Workflow', value: 'workflow', description: 'Every run of this workflow shares one memory' },
				{ name: 'Custom Key', value: 'customKey', description: 'One memory per key, e.g. per customer; the same key in other workflows shares it' },
			],
			default: 'workflow',
			displayOptions,
		},
		{
			displayName: 'Scope Key',
			name: 'memoryScopeKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.customerId }}',
			hint: 'Must give a value for every item; an item whose key is empty fails with an error',
			description: 'The memory to use for this item, usually an expression such as a customer or user ID',
			displayOptions: { ...displayOptions, show: { ...displayOptions.show, memoryScope: ['customKey'] } },
		},
	];
}

/**
 * The Memory parameters, for the lead to splice into the node's parameters after Task: the run-time
 * settings (shown when Memory is on) and the Manage Memory operation (shown for `mode: manageMemory`).
 */
export const memoryProperties: INodeProperties[] = [
	{
		displayName: 'Memory',
		name: 'memory',
		type: 'options',
		options: [
			{ name: 'Off', value: 'off', description: 'Runs remember nothing between executions' },
			{ name: 'Read Only', value: 'readOnly', description: 'Runs read memory (and can search it with the recall tool) but do not change it' },
			{
				name: 'Read and Write',
				value: 'readWrite',
				description: 'Runs read memory, can store facts and lessons with the remember tool, and leave a short summary of each run',
			},
		],
		default: 'off',
		description: 'Long-term memory kept in the node’s storage, outliving executions',
		displayOptions: { hide: { mode: noAgentModes } },
	},
	...scopeProperties(whenMemoryOn),
	{
		displayName: 'Standing Instructions',
		name: 'memoryInstructions',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. Always answer in the customer’s language. Never promise refunds.',
		description: 'Rules the agent always follows in this scope, put first in the memory part of the system prompt. Not stored; expressions are allowed.',
		displayOptions: whenMemoryOn,
	},
	{
		displayName: 'Memory Budget (Tokens)',
		name: 'memoryBudgetTokens',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		hint: 'About 4 characters per token. Standing instructions are always included and not counted.',
		description: 'How much of the system prompt remembered entries may take; the most relevant to the task go first, the rest can be found with the recall tool',
		displayOptions: whenMemoryOn,
	},
	{
		displayName: 'Operation',
		name: 'memoryOperation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'List Entries', value: 'list', description: 'Return one item per stored entry of the scope, newest first', action: 'List memory entries' },
			{ name: 'Delete Entry', value: 'deleteEntry', description: 'Delete one entry by its ID', action: 'Delete a memory entry' },
			{ name: 'Clear Scope', value: 'clearScope', description: 'Delete every entry and run summary of the scope', action: 'Clear a memory scope' },
		],
		default: 'list',
		displayOptions: whenManaging,
	},
	...scopeProperties(whenManaging),
	{
		displayName: 'Entry ID',
		name: 'memoryEntryId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 20250102T030405123Z-1a2b3c4d5e6f',
		description: 'The ID of the entry to delete, as List Entries returns it (or as shown in the agent’s memory block)',
		displayOptions: { show: { mode: ['manageMemory'], memoryOperation: ['deleteEntry'] } },
	},
	{
		displayName: 'Return All',
		name: 'memoryReturnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { mode: ['manageMemory'], memoryOperation: ['list'] } },
	},
	{
		displayName: 'Limit',
		name: 'memoryLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { mode: ['manageMemory'], memoryOperation: ['list'], memoryReturnAll: [false] } },
	},
];
