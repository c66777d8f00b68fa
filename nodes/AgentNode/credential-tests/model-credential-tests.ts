import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { probeModelApi, type ProbeResult } from './model-api-probe';

const withoutTrailingSlashes = (url: string) => url.trim().replace(/\/+$/, '');

const asTestResult = (result: ProbeResult): INodeCredentialTestResult => ({ status: result.ok ? 'OK' : 'Error', message: result.message });

/** Extra Headers as the credential stores them: a JSON object, as text or parsed. */
function extraHeaders(value: unknown): Record<string, string> | string {
	if (value === undefined || value === '') return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			return 'Extra Headers is not valid JSON: write a JSON object, e.g. {"HTTP-Referer": "https://example.com"}.';
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'Extra Headers must be a JSON object of header names and values.';
	return Object.fromEntries(Object.entries(parsed).map(([name, headerValue]) => [name, String(headerValue)]));
}

/**
 * The "Test" button of the Anthropic credential (`testedBy: 'anthropicApiTest'`). A declarative test
 * can send one request only; gateways often list no models, so a second request decides.
 */
export async function anthropicApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = withoutTrailingSlashes(String(data.baseUrl || 'https://api.anthropic.com'));
	const apiKey = String(data.apiKey ?? '');
	const headers: Record<string, string> = { 'anthropic-version': '2023-06-01', ...(apiKey === '' ? {} : { 'x-api-key': apiKey }) };
	return asTestResult(await probeModelApi({ apiName: 'Anthropic Messages API', modelsUrl: `${baseUrl}/v1/models`, generateUrl: `${baseUrl}/v1/messages`, headers }));
}

/** The "Test" button of the OpenAI-compatible credential (`testedBy: 'openAiCompatibleApiTest'`). */
export async function openAiCompatibleApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = withoutTrailingSlashes(String(data.baseUrl ?? ''));
	if (baseUrl === '') return { status: 'Error', message: 'Base URL is empty: enter the URL /chat/completions is appended to, e.g. https://api.openai.com/v1.' };
	const extra = extraHeaders(data.headers);
	if (typeof extra === 'string') return { status: 'Error', message: extra };
	const apiKey = String(data.apiKey ?? '');
	const headers = { ...extra, ...(apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }) };
	return asTestResult(await probeModelApi({ apiName: 'Chat Completions API', modelsUrl: `${baseUrl}/models`, generateUrl: `${baseUrl}/chat/completions`, headers }));
}
