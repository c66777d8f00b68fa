import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI } from '@langchain/openai';
import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * A Chat Model sub-node built like n8n's OpenAI and Anthropic Chat Model nodes: `supplyData`
 * returns LangChain's ChatOpenAI or ChatAnthropic, here pointed at the test's scripted LLM server.
 */
export class ChatModelTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat Model (test)',
		name: 'chatModelTest',
		group: ['transform'],
		version: 1,
		description: 'A LangChain chat model against a local server',
		defaults: { name: 'Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		properties: [
			{ displayName: 'Wire', name: 'wire', type: 'options', options: [{ name: 'OpenAI', value: 'openai' }, { name: 'Anthropic', value: 'anthropic' }], default: 'openai' },
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Model', name: 'model', type: 'string', default: 'gpt-test' },
		],
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const baseUrl = this.getNodeParameter('baseUrl', itemIndex) as string;
		const model = this.getNodeParameter('model', itemIndex) as string;
		const response =
			this.getNodeParameter('wire', itemIndex) === 'anthropic'
				? new ChatAnthropic({ apiKey: 'test-anthropic-key', model, maxRetries: 0, anthropicApiUrl: baseUrl })
				: new ChatOpenAI({ apiKey: 'test-openai-key', model, maxRetries: 0, configuration: { baseURL: baseUrl } });
		return { response };
	}
}
