import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LanguageModel } from '../../../lib/engine/model/language-model';
import { ModelCallError } from '../../../lib/engine/model/model-error';
import { adaptersUnderTest, modelRequest } from '../../support/llm-server/adapters';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
let unusedPort: number;
beforeAll(async () => {
	server = await startScriptedLlmServer();
	// A port that was just free: nothing listens there once the probe server has closed.
	const probe = http.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	unusedPort = (probe.address() as AddressInfo).port;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(() => server.close());

const failureOf = async (model: LanguageModel, signal?: AbortSignal): Promise<ModelCallError> => {
	const error = await model.generate(modelRequest(signal ? { signal } : {})).then(
		() => undefined,
		(caught: unknown) => caught,
	);
	if (!(error instanceof ModelCallError)) throw new Error(`expected a ModelCallError, got ${String(error)}`);
	return error;
};

describe.each(adaptersUnderTest)('$wire adapter turns failures into ModelCallError', (adapter) => {
	let model: LanguageModel;
	const serviceName = adapter.wire === 'Anthropic' ? 'Anthropic API' : `OpenAI-compatible API at ${'BASE'}`;
	const credentialName = adapter.wire === 'Anthropic' ? 'Anthropic' : 'OpenAI-compatible';
	beforeEach(() => {
		model = adapter.create(server);
	});
	const baseUrlOf = () => (adapter.wire === 'Anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl);

	test('401: auth, with a message that names the credential to fix', async () => {
		server.load([{ kind: 'http-error', status: 401, message: 'invalid x-api-key' }]);
		const error = await failureOf(model);
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		expect(error.message).toBe(
			`The ${serviceName.replace('BASE', baseUrlOf())} rejected the API key (401). Check the ${credentialName} credential.`,
		);
		expect(server.requests).toHaveLength(1);
	});

	test('403: auth', async () => {
		server.load([{ kind: 'http-error', status: 403, message: 'Your key may not use this model' }]);
		expect(await failureOf(model)).toMatchObject({ kind: 'auth', status: 403 });
	});

	test('400 for a bad model name: bad-request, quoting the provider and naming the model', async () => {
		server.load([{ kind: 'http-error', status: 400, message: 'model: not-a-model is not supported.' }]);
		const error = await failureOf(model);
		expect(error).toMatchObject({ kind: 'bad-request', status: 400 });
		expect(error.message).toContain('rejected the request (400): model: not-a-model is not supported.');
		expect(error.message).toContain(`Check the model name "${model.modelId}"`);
	});

	test('404 for an unknown model: bad-request that points at the model name and base URL', async () => {
		server.load([{ kind: 'http-error', status: 404, message: `model: ${model.modelId}` }]);
		const error = await failureOf(model);
		expect(error).toMatchObject({ kind: 'bad-request', status: 404 });
		expect(error.message).toContain(`does not know model "${model.modelId}"`);
	});

	test('429: rate-limited, with retry-after (seconds) and retry-after-ms surfaced', async () => {
		server.load([
			{ kind: 'http-error', status: 429, headers: { 'retry-after': '7' } },
			{ kind: 'http-error', status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '2' } },
			{ kind: 'http-error', status: 429 },
		]);
		expect(await failureOf(model)).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 7000 });
		expect(await failureOf(model)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 1500 });
		expect((await failureOf(model)).retryAfterMs).toBeUndefined();
	});

	test('413: the request is too large, and the message says what to change in the node', async () => {
		server.load([{ kind: 'http-error', status: 413, message: 'Request exceeds the maximum allowed number of bytes.' }]);
		const error = await failureOf(model);
		expect(error).toMatchObject({ kind: 'bad-request', status: 413 });
		expect(error.message).toContain('refused the request as too large (413): Request exceeds the maximum allowed number of bytes.');
		expect(error.message).toContain("turn on 'Context Management'");
		expect(error.message).toContain("'Context Window (Tokens)'");
		expect(error.message).toContain('make the tools return smaller results');
		expect(error.message).not.toContain('model name');
	});

	test("413 from a proxy's HTML page: the page is quoted by its title, not its markup", async () => {
		const page = '<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>';
		server.load([{ kind: 'raw', status: 413, contentType: 'text/html', body: page }]);
		const error = await failureOf(model);
		expect(error).toMatchObject({ kind: 'bad-request', status: 413 });
		expect(error.message).not.toContain('<');
		expect(error.message).toContain("turn on 'Context Management'");
	});

	test('a web page at 200 instead of the API: invalid-response, not retried, pointing at the base URL', async () => {
		const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in to continue.</body></html>';
		server.load([{ kind: 'raw', status: 200, contentType: 'text/html; charset=utf-8', body: page }]);
		const error = await failureOf(model);
		expect(error).toMatchObject({ kind: 'invalid-response', retryable: false });
		expect(error.message).toContain('answered with a web page (text/html) instead of the API');
		expect(error.message).toContain(`Check the base URL in the ${credentialName} credential.`);
		expect(error.message).not.toContain('usually temporary');
	});

	test.each([500, 502, 503, 529, 408])('%i: server', async (status) => {
		server.load([{ kind: 'http-error', status, message: 'Something broke' }]);
		const error = await failureOf(model);
		expect(error).toMatchObject({ kind: 'server', status });
		expect(error.message).toContain('This is usually temporary.');
	});

	test('connection refused on an unused port: network, naming the base URL to check', async () => {
		const baseUrl = adapter.wire === 'Anthropic' ? `http://127.0.0.1:${unusedPort}` : `http://127.0.0.1:${unusedPort}/v1`;
		const error = await failureOf(adapter.createAt(baseUrl));
		expect(error.kind).toBe('network');
		expect(error.message).toBe(`Cannot reach ${baseUrl}: connection refused. Check the base URL in the credential.`);
	});

	test('a stream whose connection dies mid-answer: network', async () => {
		server.load([{ kind: 'cut-off', afterEvents: 3, text: 'Paris is the capital of France.' }]);
		expect(await failureOf(model)).toMatchObject({ kind: 'network' });
	});

	test('a stream that ends cleanly before its end marker: network', async () => {
		server.load([{ kind: 'cut-off', afterEvents: 4, ending: 'stream-ended', text: 'Paris is the capital of France.' }]);
		const error = await failureOf(model);
		expect(error.kind).toBe('network');
		expect(error.message).toContain('stream ended before the answer was complete');
	});

	test('an error event inside the stream (overloaded mid-answer): server, so it is retried', async () => {
		server.load([
			{ kind: 'stream-error', afterEvents: 4, errorType: 'overloaded_error', message: 'Overloaded', text: 'Paris is the capital.' },
		]);
		const error = await failureOf(model);
		expect(error.kind).toBe('server');
		expect(error.message).toContain('Overloaded');
	});

	test('aborting the signal mid-answer: cancelled', async () => {
		server.load([{ kind: 'cut-off', afterEvents: 3, ending: 'stalled', text: 'Paris is the capital of France.' }]);
		const controller = new AbortController();
		const failure = failureOf(model, controller.signal);
		await server.requestReceived(1);
		controller.abort();
		expect(await failure).toMatchObject({ kind: 'cancelled' });
	});

	test('a stream that stalls past the time limit: timeout, not cancelled', async () => {
		server.load([{ kind: 'cut-off', afterEvents: 3, ending: 'stalled', text: 'Paris is the capital of France.' }]);
		const error = await failureOf(adapter.create(server, { timeoutMs: 200 }));
		expect(error.kind).toBe('timeout');
		expect(error.message).toContain('did not finish answering within 200 ms');
	});

	test('a signal aborted before the call: cancelled without a request', async () => {
		server.load([]);
		const error = await failureOf(model, AbortSignal.abort());
		expect(error.kind).toBe('cancelled');
		expect(server.requests).toHaveLength(0);
	});
});

describe('Chat Completions adapter: an account out of quota', () => {
	const chat = adaptersUnderTest.find((adapter) => adapter.wire === 'Chat Completions')!;
	const outOfQuota = 'You exceeded your current quota, please check your plan and billing details.';

	test('429 with insufficient_quota is not a rate limit: waiting does not help, so it is not retried, and the message points at billing', async () => {
		server.load([{ kind: 'http-error', status: 429, code: 'insufficient_quota', message: outOfQuota }]);
		const error = await failureOf(chat.create(server));
		expect(error).toMatchObject({ kind: 'auth', status: 429 });
		expect(error.message).toContain("reports that the account's quota is used up (insufficient_quota). Check the plan and billing of the account behind the OpenAI-compatible credential.");
	});

	test('the same code inside a stream that had started', async () => {
		server.load([{ kind: 'stream-error', afterEvents: 2, errorType: 'insufficient_quota', message: outOfQuota, text: 'Paris' }]);
		expect(await failureOf(chat.create(server))).toMatchObject({ kind: 'auth' });
	});
});
