import type { ICredentialsDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { fileProperties } from './files/file-parameters';
import { memoryProperties } from './memory/memory-parameters';
import { noAgentModes } from './recover/no-agent-modes';
import { recoverModeOption, recoverProperties } from './recover/recover-parameters';
import { listRunsModeOption, listRunsProperties, replayModeOption, replayProperties } from './replay/replay-parameters';

/** Shown only for these values of `parameter`, and never in Manage Memory or Recover Runs mode (which run no agent). */
const showFor = (parameter: string, values: string[]) => ({ show: { [parameter]: values }, hide: { mode: noAgentModes } });
const runOnly = { hide: { mode: noAgentModes } };

const providerOptions: INodePropertyOptions[] = [
	{ name: 'Anthropic', value: 'anthropic', description: 'Claude models through the Anthropic Messages API' },
	{ name: 'OpenAI-Compatible', value: 'openAiCompatible', description: 'OpenAI, OpenRouter, Ollama, vLLM, Groq… (Chat Completions API)' },
	{
		name: 'Connected Chat Model',
		value: 'connected',
		description: "The Chat Model sub-node connected to the node (OpenAI, Anthropic, Gemini, Bedrock, Ollama…), with that sub-node's credential and options",
	},
];

/**
 * When a provider's credential is shown: in Run and Continue modes, for that provider only. Written
 * as `hide` on every other provider because n8n's editor hides a field that credentials `show` on
 * for all its options from the panel (see the credentials in DurableAgent.node.ts).
 */
export function credentialShownFor(provider: string): ICredentialsDisplayOptions {
	const otherProviders = providerOptions.map((option) => String(option.value)).filter((value) => value !== provider);
	return { hide: { mode: noAgentModes, provider: otherProviders } };
}

/** Every parameter of the Durable AI Agent node, in the order the panel shows them. */
export const parameterProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Run Agent',
				value: 'run',
				description: 'Start a run for each item. Decision items from Durable AI Agent Resume continue their paused runs.',
			},
			{
				name: 'Continue Paused Run',
				value: 'continue',
				description: 'Continue a paused run from a pause reference and decisions given by expression (e.g. from another workflow)',
			},
			{ name: 'Manage Memory', value: 'manageMemory', description: 'List or delete what agents remembered; no model is called' },
			recoverModeOption,
			replayModeOption,
			listRunsModeOption,
		],
		default: 'run',
	},
	{
		displayName: 'Pause Reference',
		name: 'pauseReference',
		type: 'json',
		default: '={{ $json.reference }}',
		required: true,
		displayOptions: showFor('mode', ['continue']),
		description: "The 'reference' object of an item from the 'Needs approval' output",
	},
	{
		displayName: 'Decisions',
		name: 'decisions',
		type: 'json',
		default: '={{ $json.decisions }}',
		required: true,
		displayOptions: showFor('mode', ['continue']),
		description: 'One decision per pending call: [{"toolCallId": "…", "decision": "approve" | "reject" | "answer", "reason"?, "arguments"?, "answer"?}]',
	},
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: providerOptions,
		default: 'anthropic',
		description: 'Which API the model is called through. The credential at the top of the panel is for this provider.',
		displayOptions: runOnly,
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: 'claude-sonnet-5-5',
		required: true,
		displayOptions: showFor('provider', ['anthropic']),
		description: 'Model ID as the provider names it, e.g. claude-sonnet-5-5 or claude-haiku-5-5',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: 'gpt-5.4-mini',
		required: true,
		displayOptions: showFor('provider', ['openAiCompatible']),
		description: 'Model ID as the endpoint names it, e.g. gpt-5.4-mini, openai/gpt-5.5 on OpenRouter, llama3.1 on Ollama',
	},
	{
		displayName: 'Instructions',
		name: 'instructions',
		type: 'string',
		typeOptions: { rows: 4 },
		default: 'You are a careful assistant. Use the tools when they help, and answer concisely.',
		description: 'System instructions: who the agent is and how it should work. Expressions are allowed.',
		displayOptions: runOnly,
	},
	{
		displayName: 'Task',
		name: 'task',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '={{ $json.chatInput }}',
		placeholder: 'e.g. Find the opening hours of {{ $json.shop }} and return them',
		description: 'What the agent should do for this item. Use expressions to bring in the item’s data.',
		hint: 'After a Chat Trigger, the default takes the chat message. After other triggers, write the task or point the expression at the item’s field.',
		// A replay's task is the stored run's.
		displayOptions: { hide: { mode: [...noAgentModes, 'replayRun'] } },
	},
	...fileProperties,
	...memoryProperties,
	...recoverProperties,
	...replayProperties,
	...listRunsProperties,

	{
		displayName: 'Output Format',
		name: 'outputFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text', description: 'The final answer as text' },
			{ name: 'JSON', value: 'json', description: 'A JSON value validated against a schema; invalid answers are sent back for repair' },
		],
		default: 'text',
		displayOptions: runOnly,
	},
	{
		displayName: 'Schema Source',
		name: 'schemaSource',
		type: 'options',
		options: [
			{ name: 'JSON Schema', value: 'jsonSchema', description: 'Write the JSON Schema the answer must match' },
			{ name: 'From Example', value: 'example', description: 'Give an example answer; every field in it becomes required' },
		],
		default: 'jsonSchema',
		displayOptions: showFor('outputFormat', ['json']),
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default: '{\n  "type": "object",\n  "properties": {\n    "answer": { "type": "string" }\n  },\n  "required": ["answer"]\n}',
		displayOptions: { show: { outputFormat: ['json'], schemaSource: ['jsonSchema'] }, ...runOnly },
		description: 'JSON Schema (draft-07 or 2020-12) the final answer must match',
	},
	{
		displayName: 'Example',
		name: 'jsonExample',
		type: 'json',
		default: '{\n  "answer": "text",\n  "confidence": 0.9\n}',
		displayOptions: { show: { outputFormat: ['json'], schemaSource: ['example'] }, ...runOnly },
		description: 'An example of the answer; the schema is derived from it',
	},
	{
		displayName: 'Built-in Tools',
		name: 'builtinTools',
		type: 'multiOptions',
		options: [
			{ name: 'Ask Human', value: 'ask_human', description: 'Let the model ask a person a question; the run pauses until it is answered' },
			{ name: 'HTTP Request', value: 'http_request', description: 'Fetch web pages and call HTTP APIs (private addresses refused unless allowed)' },
			{ name: 'Think', value: 'think', description: 'A scratchpad the model can use to reason between tool calls' },
		],
		default: [],
		description: 'Tools built into this node. Connect n8n tool nodes to the Tool input for more.',
		displayOptions: runOnly,
	},
	{
		displayName: 'Allowed Hosts',
		name: 'allowedHosts',
		type: 'string',
		default: '',
		placeholder: 'internal.example.com, 10.0.0.5:8080',
		displayOptions: { show: { builtinTools: ['http_request'] }, ...runOnly },
		description: 'Comma-separated hosts the HTTP Request tool may reach even though they are private or local. Public hosts are always allowed.',
	},
	{
		displayName: 'Tool Approvals',
		name: 'toolApprovals',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Approval Rule',
		default: {},
		description: 'Tools whose calls a person must approve first. The run pauses and the item leaves on the Approval output.',
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{
						displayName: 'Tool Name',
						name: 'toolName',
						type: 'string',
						default: '',
						placeholder: 'e.g. Create_Ticket',
						description: 'Name of the tool as the model sees it',
						// Load-options cannot list the connected tools: n8n calls them with this node alone, not its
						// workflow. A rule naming no offered tool fails the run with the names that are offered.
						hint: 'A connected tool node’s name, with every character other than a–z, A–Z, 0–9, _ and - as _: node "Create Ticket" is Create_Ticket. An MCP Client Tool node "Orders" offers Orders_ and the server’s tool name, e.g. Orders_lookup_order. Built-in: http_request, ask_human, think.',
					},
					{
						displayName: 'Require Approval',
						name: 'when',
						type: 'options',
						options: [
							{ name: 'Always', value: 'always' },
							{ name: 'When a Condition Is True', value: 'condition' },
						],
						default: 'always',
					},
					{
						displayName: 'Condition',
						name: 'condition',
						type: 'string',
						default: '',
						placeholder: '={{ $args.amount > 100 }}',
						displayOptions: { show: { when: ['condition'] } },
						description:
							'One expression on the call’s validated arguments ($args) that returns true (hold for approval) or false (run). Anything else — an error, a missing field, empty, a text — holds the call, and the approval page says why.',
					},
				],
			},
		],
	},
	{
		displayName: 'Max Turns',
		name: 'maxTurns',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'Most model calls one run may make, repair turns included. The run fails with max_turns when it is reached.',
		displayOptions: runOnly,
	},
	{
		displayName: 'Storage',
		name: 'storage',
		type: 'options',
		options: [
			{ name: 'Local Disk', value: 'localDisk', description: 'A folder under the n8n user folder; no set-up' },
			{ name: 'S3-Compatible', value: 's3', description: 'AWS S3, Cloudflare R2 or MinIO, through a credential' },
		],
		default: 'localDisk',
		description: 'Where transcripts and run records are kept',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Context Management',
				name: 'contextManagement',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep long runs inside the context window: shorten old tool results, store very large ones for the model to read back in parts, and summarise older turns near the limit. The transcript always stays complete.',
			},
			{
				displayName: 'Context Window (Tokens)',
				name: 'contextWindowTokens',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: "The model's context window; 0 uses 200,000 for Anthropic and 128,000 for OpenAI-compatible models",
			},
			{
				displayName: 'Cost Budget (USD)',
				name: 'costBudgetUsd',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 0,
				description: "Most estimated cost one run may reach, from the model's price; 0 means no budget. The run fails with cost_budget when it is spent.",
			},
			{
				displayName: 'Fallback Model',
				name: 'fallbackModel',
				type: 'string',
				default: '',
				description: 'Model ID (same provider and credential) to use when the main model keeps failing with rate limits or server errors',
			},
			{
				displayName: 'Item Concurrency',
				name: 'itemConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 5,
				description: 'How many items run at the same time',
			},
			{
				displayName: 'Local Folder',
				name: 'localFolder',
				type: 'string',
				default: '',
				placeholder: '~/.n8n/durable-agent',
				description: 'Folder for Local Disk storage. Empty: durable-agent inside the n8n user folder.',
			},
			{
				displayName: 'Max Output Tokens Per Turn',
				name: 'maxOutputTokens',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 4096,
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description: 'Retries of a model call on rate limits, server and network errors, with jittered backoff that honours retry-after',
			},
			{
				displayName: 'On Budget Exceeded',
				name: 'onBudgetExceeded',
				type: 'options',
				options: [
					{ name: 'Fail the Run', value: 'fail', description: 'End with token_budget or cost_budget' },
					{ name: 'Ask for Approval', value: 'ask', description: 'Pause on the Approval output; approving allows the budget once more' },
				],
				default: 'fail',
			},
			{
				displayName: 'Price Table',
				name: 'priceTable',
				type: 'json',
				default: '{}',
				description:
					'USD per million tokens by model ID, overriding the built-in list, e.g. {"my-model": {"input": 1, "output": 2, "cacheRead": 0.1, "cacheWrite": 1.25}}',
			},
			{
				displayName: 'Repair Turns',
				name: 'repairTurns',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 2,
				description: 'How often an answer that is not valid JSON for the schema is sent back to the model to fix',
			},
			{
				displayName: 'Soft Budget (%)',
				name: 'softBudgetPercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 80,
				description: 'Share of the token or cost budget at which the model is asked once to wrap up; 0 turns it off',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description: 'Wall-clock limit per item; 0 means no limit. The run fails with timeout when it is reached.',
			},
			{
				displayName: 'Token Budget',
				name: 'tokenBudget',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Most tokens (input, output and cache) one run may spend; 0 means no budget. The run fails with token_budget when it is spent.',
			},
			{
				displayName: 'Tool Concurrency',
				name: 'toolConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 32 },
				default: 4,
				description: 'How many concurrency-safe tool calls of one turn run at the same time',
			},
		],
	},
];
