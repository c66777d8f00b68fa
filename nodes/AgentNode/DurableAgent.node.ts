import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { checkS3Access } from '../../lib/storage';
import { executeDurableAgent } from './execute';
import { parameterProperties } from './parameters';
import { s3OptionsFromCredential, type S3StorageCredential } from './store-from-parameters';

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
		credentials: [
			{ name: 'durableAgentAnthropicApi', required: true, displayOptions: { show: { provider: ['anthropic'] }, hide: { mode: ['manageMemory'] } } },
			{ name: 'durableAgentOpenAiCompatibleApi', required: true, displayOptions: { show: { provider: ['openAiCompatible'] }, hide: { mode: ['manageMemory'] } } },
			{ name: 'durableAgentS3Storage', required: true, testedBy: 's3StorageTest', displayOptions: { show: { storage: ['s3'] } } },
		],
		properties: parameterProperties,
		// An agent that runs its own tool loop is not offered as a tool to other agents.
		usableAsTool: undefined,
	};

	methods = {
		credentialTest: {
			async s3StorageTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const result = await checkS3Access(s3OptionsFromCredential(credential.data as unknown as S3StorageCredential));
				return result.ok ? { status: 'OK', message: 'Connection successful' } : { status: 'Error', message: result.message };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeDurableAgent(this);
	}
}
