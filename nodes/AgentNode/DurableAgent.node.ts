import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { credentialShownFor, parameterProperties } from './parameters';
import { s3StorageTest } from '../shared/s3-credential-test';

/** The Durable AI Agent node: n8n wiring only; the loop lives in lib/engine, parameters in parameters.ts. */
export class DurableAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Durable AI Agent',
		name: 'durableAgent',
		icon: 'file:durableAgent.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] }}',
		description: 'AI Agent that runs a bounded tool-calling loop per item and returns text or schema-valid JSON, with transcripts in storage',
		defaults: { name: 'Durable AI Agent' },
		codex: {
			categories: ['AI'],
			subcategories: { AI: ['Agents', 'Root Nodes'] },
			alias: ['AI Agent', 'LLM', 'Claude', 'GPT', 'Tool calling', 'Structured output'],
		},
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tool', required: false }],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Needs Approval'],
		// Credentials are tied to parameters with `hide`, never `show`. n8n's editor takes a field whose
		// every option some credential `show`s on as the node's authentication field: it removes it
		// from the panel (Provider would only be reachable through the credential dialog), and it
		// puts the credential selectors beside the last visible field credentials `show` on (Storage,
		// at the bottom). With `hide` the panel keeps Provider and shows the selectors at its top.
		credentials: [
			{ name: 'durableAgentAnthropicApi', displayName: 'Anthropic Credential', required: true, displayOptions: credentialShownFor('anthropic') },
			{
				name: 'durableAgentOpenAiCompatibleApi',
				displayName: 'OpenAI-Compatible Credential',
				required: true,
				displayOptions: credentialShownFor('openAiCompatible'),
			},
			{
				name: 'durableAgentS3Storage',
				displayName: 'S3 Storage Credential',
				required: true,
				testedBy: 's3StorageTest',
				displayOptions: { hide: { storage: ['localDisk'] } },
			},
		],
		properties: parameterProperties,
		// An agent that runs its own tool loop is not offered as a tool to other agents.
		usableAsTool: undefined,
	};

	methods = { credentialTest: { s3StorageTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded on first use: n8n loads every node at start-up and needs only the description then.
		const { executeDurableAgent } = await import('./execute');
		return await executeDurableAgent(this);
	}
}
