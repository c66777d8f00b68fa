import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { anthropicApiTest, openAiCompatibleApiTest } from './credential-tests/model-credential-tests';
import { logFailure } from './log-failure';
import { credentialShownFor, parameterProperties } from './parameters';
import { s3StorageTest } from '../shared/s3-credential-test';

/** The Durable AI Agent node: n8n wiring only; the loop lives in lib/engine, parameters in parameters.ts. */
export class DurableAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Durable AI Agent',
		name: 'durableAgent',
		icon: { light: 'file:durableAgent.svg', dark: 'file:durableAgent.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] }}',
		description: 'AI Agent that runs a bounded tool-calling loop per item and returns text or schema-valid JSON, with transcripts in storage',
		defaults: { name: 'Durable AI Agent' },
		// Not in the 'AI' category: n8n's node panel turns the Mode options of an AI-category node into
		// an "Actions" chooser, an extra click before the common Run Agent. The AI panel lists it
		// under Agents by its AI subcategory; 'Root Nodes' keeps it in search results.
		codex: {
			categories: ['HITL'],
			subcategories: { AI: ['Agents', 'Root Nodes'], HITL: ['Human in the Loop'] },
			alias: ['AI Agent', 'Agent', 'Durable', 'LLM', 'Claude', 'GPT', 'Tool calling', 'Structured output', 'Approval', 'Human in the loop', 'HITL', 'Resume paused run'],
		},
		// A Chat Model input only with Provider → Connected Chat Model, like n8n's AI Agent; Chat Memory and Tool are optional.
		inputs: `={{ ((provider) => ['main', ...(provider === 'connected' ? [{ type: 'ai_languageModel', displayName: 'Chat Model', required: true, maxConnections: 1 }] : []), { type: 'ai_memory', displayName: 'Chat Memory', required: false, maxConnections: 1 }, { type: 'ai_tool', displayName: 'Tool', required: false }])($parameter.provider) }}`,
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		// Short enough for the canvas, which cuts longer labels ("Needs App…").
		outputNames: ['Done', 'Approval'],
		// Credentials are tied to parameters with `hide`, never `show`. n8n's editor takes a field whose
		// every option some credential `show`s on as the node's authentication field: it removes it
		// from the panel (Provider would only be reachable through the credential dialog), and it
		// puts the credential selectors beside the last visible field credentials `show` on (Storage,
		// at the bottom). With `hide` the panel keeps Provider and shows the selectors at its top.
		credentials: [
			{
				name: 'durableAgentAnthropicApi',
				displayName: 'Anthropic Credential',
				required: true,
				testedBy: 'anthropicApiTest',
				displayOptions: credentialShownFor('anthropic'),
			},
			{
				name: 'durableAgentOpenAiCompatibleApi',
				displayName: 'OpenAI-Compatible Credential',
				required: true,
				testedBy: 'openAiCompatibleApiTest',
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

	methods = { credentialTest: { s3StorageTest, anthropicApiTest, openAiCompatibleApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded on first use: n8n loads every node at start-up and needs only the description then.
		const { executeDurableAgent } = await import('./execute');
		try {
			return await executeDurableAgent(this);
		} catch (error) {
			const failure = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
			logFailure(this, failure);
			throw failure;
		}
	}
}
