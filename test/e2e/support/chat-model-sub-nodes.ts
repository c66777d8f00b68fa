import type { WireFormat } from '../../support/llm-server/recorded-request';
import type { ScriptedLlmServer } from '../../support/scripted-llm-server';
import type { CredentialReference } from './llm-credentials';
import type { N8nRest } from './n8n-rest';

/**
 * n8n's own Chat Model sub-nodes (from @n8n/n8n-nodes-langchain, as a user adds them to the canvas)
 * pointed at the scripted LLM server through their credentials' base URLs.
 */
export type ChatModelSubNode = {
	/** What the test names it by. */
	label: string;
	/** The node's name on the canvas. */
	nodeName: string;
	/** The node on the canvas, without id and position. */
	node(credential: CredentialReference): SubNode;
	/** The credential whose base URL points at the scripted server. */
	createCredential(rest: N8nRest, server: Pick<ScriptedLlmServer, 'anthropicBaseUrl' | 'openaiBaseUrl'>): Promise<CredentialReference>;
	/** The model name the sub-node sends, which the connected model's id carries. */
	modelName: string;
	/** The wire format the sub-node's LangChain class speaks to the scripted server. */
	wire: WireFormat;
};

/** A workflow node without id and position. */
export type SubNode = { name: string; type: string; typeVersion: number; parameters: Record<string, unknown>; credentials: Record<string, CredentialReference> };

export const openAiChatModel: ChatModelSubNode = {
	label: 'OpenAI Chat Model (lmChatOpenAi 1.3)',
	modelName: 'gpt-test',
	wire: 'chat-completions',
	nodeName: 'OpenAI Chat Model',
	node: (credential) => ({
		name: 'OpenAI Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.3,
		credentials: { openAiApi: credential },
		// Version 1.3 defaults to OpenAI's Responses API; the agent's tools work on both, the scripted server speaks Chat Completions.
		parameters: { model: { __rl: true, mode: 'id', value: 'gpt-test' }, responsesApiEnabled: false, options: { maxRetries: 0 } },
	}),
	createCredential: async (rest, server) =>
		await rest.createCredential({ name: 'Scripted OpenAI', type: 'openAiApi', data: { apiKey: 'test-openai-key', url: server.openaiBaseUrl } }),
};

export const anthropicChatModel: ChatModelSubNode = {
	label: 'Anthropic Chat Model (lmChatAnthropic 1.3)',
	modelName: 'claude-test',
	wire: 'anthropic',
	nodeName: 'Anthropic Chat Model',
	node: (credential) => ({
		name: 'Anthropic Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatAnthropic',
		typeVersion: 1.3,
		credentials: { anthropicApi: credential },
		parameters: { model: { __rl: true, mode: 'id', value: 'claude-test' }, options: {} },
	}),
	createCredential: async (rest, server) =>
		await rest.createCredential({ name: 'Scripted Anthropic (n8n)', type: 'anthropicApi', data: { apiKey: 'test-anthropic-key', url: server.anthropicBaseUrl } }),
};

export const deepSeekChatModel: ChatModelSubNode = {
	label: 'DeepSeek Chat Model (lmChatDeepSeek 1)',
	modelName: 'deepseek-chat',
	wire: 'chat-completions',
	nodeName: 'DeepSeek Chat Model',
	node: (credential) => ({
		name: 'DeepSeek Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatDeepSeek',
		typeVersion: 1,
		credentials: { deepSeekApi: credential },
		parameters: { model: 'deepseek-chat', options: { maxRetries: 0 } },
	}),
	createCredential: async (rest, server) =>
		await rest.createCredential({ name: 'Scripted DeepSeek', type: 'deepSeekApi', data: { apiKey: 'test-deepseek-key', url: server.openaiBaseUrl } }),
};
