import type { ScriptedLlmServer } from '../../support/scripted-llm-server';
import type { N8nRest } from './n8n-rest';

export type CredentialReference = { id: string; name: string };
export type LlmCredentials = { anthropic: CredentialReference; openAiCompatible: CredentialReference };

/** Credentials of both providers whose base URLs point at the scripted LLM server in the test process. */
export async function createLlmCredentials(rest: N8nRest, server: Pick<ScriptedLlmServer, 'anthropicBaseUrl' | 'openaiBaseUrl'>): Promise<LlmCredentials> {
	const anthropic = await rest.createCredential({
		name: 'Scripted Anthropic',
		type: 'durableAgentAnthropicApi',
		data: { apiKey: 'test-anthropic-key', baseUrl: server.anthropicBaseUrl },
	});
	const openAiCompatible = await rest.createCredential({
		name: 'Scripted Chat Completions',
		type: 'durableAgentOpenAiCompatibleApi',
		data: { apiKey: 'test-openai-key', baseUrl: server.openaiBaseUrl, headers: '{}' },
	});
	return { anthropic, openAiCompatible };
}
