import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { anthropicApiTest, openAiCompatibleApiTest } from '../../../nodes/AgentNode/credential-tests/model-credential-tests';

/** How a model server answers: each `METHOD /path` its status; anything else 404. Records what arrived. */
type ServerAnswers = Record<string, number>;
type LocalServer = { url: string; received: Array<{ route: string; headers: http.IncomingHttpHeaders }>; close(): Promise<void> };

async function startServer(answers: ServerAnswers): Promise<LocalServer> {
	const received: LocalServer['received'] = [];
	const server = http.createServer((request, response) => {
		const route = `${request.method} ${request.url}`;
		received.push({ route, headers: request.headers });
		request.resume();
		const status = answers[route] ?? 404;
		response.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"data":[{"id":"m"}]}' : '{"error":{"message":"no"}}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const noContext = {} as ICredentialTestFunctions;
const credential = (type: string, data: Record<string, string>): ICredentialsDecrypted => ({ id: '1', name: 'test', type, data });
const testOpenAiCompatible = (data: Record<string, string>) => openAiCompatibleApiTest.call(noContext, credential('durableAgentOpenAiCompatibleApi', data));
const testAnthropic = (data: Record<string, string>) => anthropicApiTest.call(noContext, credential('durableAgentAnthropicApi', data));

let server: LocalServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('the OpenAI-compatible credential’s Test button', () => {
	it('passes a server that lists its models', async () => {
		server = await startServer({ 'GET /v1/models': 200 });
		expect(await testOpenAiCompatible({ baseUrl: `${server.url}/v1/`, apiKey: 'sk-1', headers: '{"X-Team": "ops"}' })).toEqual({
			status: 'OK',
			message: 'Connection successful: the server lists its models.',
		});
		expect(server.received[0].headers).toMatchObject({ authorization: 'Bearer sk-1', 'x-team': 'ops' });
	});

	it('passes a server with no model list whose Chat Completions API refuses an empty request as invalid', async () => {
		server = await startServer({ 'POST /v1/chat/completions': 400 });
		expect(await testOpenAiCompatible({ baseUrl: `${server.url}/v1`, apiKey: '' })).toEqual({
			status: 'OK',
			message: 'Connection successful: the Chat Completions API answers (the server lists no models, HTTP 404).',
		});
		expect(server.received.map((request) => request.route)).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
		expect(server.received[0].headers.authorization).toBeUndefined();
	});

	it('fails a refused key, saying to check it', async () => {
		server = await startServer({ 'GET /v1/models': 401 });
		expect(await testOpenAiCompatible({ baseUrl: `${server.url}/v1`, apiKey: 'wrong' })).toEqual({
			status: 'Error',
			message: `The server refused the API key (HTTP 401 from ${server.url}/v1/models): check API Key, or leave it empty if the server needs none.`,
		});
	});

	it('fails a Base URL where nothing speaks the API, naming the URL', async () => {
		server = await startServer({});
		expect(await testOpenAiCompatible({ baseUrl: server.url, apiKey: '' })).toEqual({
			status: 'Error',
			message: `No Chat Completions API answers at ${server.url}/chat/completions (HTTP 404; listing models gave HTTP 404): check Base URL.`,
		});
	});

	it('fails a server that is not running', async () => {
		const stopped = await startServer({});
		await stopped.close();
		const result = await testOpenAiCompatible({ baseUrl: `${stopped.url}/v1`, apiKey: '' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^Could not reach ${stopped.url}/v1/models \\(.+\\): check Base URL and that the server is running\\.$`));
	});

	it('fails Extra Headers that are not a JSON object before sending anything', async () => {
		expect(await testOpenAiCompatible({ baseUrl: 'http://127.0.0.1:9/v1', headers: '{oops' })).toEqual({
			status: 'Error',
			message: 'Extra Headers is not valid JSON: write a JSON object, e.g. {"HTTP-Referer": "https://example.com"}.',
		});
	});
});

describe('the Anthropic credential’s Test button', () => {
	it('passes a gateway with no model list and no key, sending no x-api-key', async () => {
		server = await startServer({ 'POST /v1/messages': 400 });
		expect(await testAnthropic({ baseUrl: server.url, apiKey: '' })).toEqual({
			status: 'OK',
			message: 'Connection successful: the Anthropic Messages API answers (the server lists no models, HTTP 404).',
		});
		expect(server.received.map((request) => request.headers['x-api-key'])).toEqual([undefined, undefined]);
	});

	it('sends the key as x-api-key and fails when the API refuses it', async () => {
		server = await startServer({ 'GET /v1/models': 403 });
		const result = await testAnthropic({ baseUrl: server.url, apiKey: 'sk-ant-wrong' });
		expect(result).toEqual({
			status: 'Error',
			message: `The server refused the API key (HTTP 403 from ${server.url}/v1/models): check API Key, or leave it empty if the server needs none.`,
		});
		expect(server.received[0].headers).toMatchObject({ 'x-api-key': 'sk-ant-wrong', 'anthropic-version': '2023-06-01' });
	});
});
