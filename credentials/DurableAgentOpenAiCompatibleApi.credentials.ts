import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Any endpoint that speaks OpenAI's Chat Completions API: OpenAI, OpenRouter, Ollama, vLLM, LM Studio,
 * Groq… Its "Test" button is the agent node's `openAiCompatibleApiTest`: it also passes a server that
 * lists no models.
 */
export class DurableAgentOpenAiCompatibleApi implements ICredentialType {
	name = 'durableAgentOpenAiCompatibleApi';

	displayName = 'Durable Agent: OpenAI-Compatible API';

	icon = 'file:openai-compatible.svg' as const;

	documentationUrl = 'https://platform.openai.com/docs/api-reference/chat';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Leave empty for local servers that need no key (Ollama, vLLM)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.openai.com/v1',
			placeholder: 'http://127.0.0.1:11434/v1',
			description: 'The URL that /chat/completions is appended to, usually ending in /v1',
		},
		{
			displayName: 'Extra Headers',
			name: 'headers',
			type: 'json',
			default: '{}',
			description: 'Headers sent with every request, as a JSON object, e.g. {"HTTP-Referer": "https://example.com"} for OpenRouter',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};
}
