import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An Anthropic API key for the Durable AI Agent; the base URL allows proxies and gateways. Its "Test"
 * button is the agent node's `anthropicApiTest`: it also passes a gateway that lists no models.
 */
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
			default: '',
			description: 'Required by Anthropic. Leave empty for a gateway that adds its own key (no x-api-key header is sent then).',
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
}
