import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** An Anthropic API key for the Durable AI Agent; the base URL allows proxies and gateways. */
export class DurableAgentAnthropicApi implements ICredentialType {
	name = 'durableAgentAnthropicApi';

	displayName = 'Durable Agent: Anthropic API';

	icon = 'file:anthropic.svg' as const;

	documentationUrl = 'https://docs.anthropic.com/en/api/getting-started';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.anthropic.com',
			description: 'Leave as is for Anthropic. Change it for a proxy or gateway that speaks the Anthropic Messages API (without the trailing /v1).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}', 'anthropic-version': '2023-06-01' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/v1/models', method: 'GET' },
	};
}
