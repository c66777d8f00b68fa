import { runAgent, type AgentSpec, type EngineDeps } from '../../../lib/engine';
import type { LanguageModel } from '../../../lib/engine/model/language-model';
import { sleep } from '../../../lib/engine/system-deps';
import { adaptersUnderTest } from '../../support/llm-server/adapters';
import { recordingRunStore } from '../../support/recording-run-store';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

// These runs use the real clock and real sleeps: a run that waited for the provider would take
// minutes, so any run that ends well inside this bound did not wait.
const generousBoundMs = 20_000;

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());

const spec = (model: LanguageModel, overrides: Partial<AgentSpec> = {}): AgentSpec => ({
	model,
	instructions: 'Be brief.',
	tools: [],
	output: { type: 'text' },
	limits: { maxTurns: 3, toolConcurrency: 1, maxOutputTokensPerTurn: 256 },
	retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
	...overrides,
});

const realDeps = (): EngineDeps => {
	let ids = 0;
	return { store: recordingRunStore(), now: Date.now, sleep, random: Math.random, newId: () => `id-${++ids}` };
};

const timed = async <T>(run: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> => {
	const startedAt = Date.now();
	const result = await run();
	return { result, elapsedMs: Date.now() - startedAt };
};

const input = { runId: 'run-1', task: 'What is the capital of France?' };

describe.each(adaptersUnderTest)('$wire: a provider that asks to retry after an hour', (adapter) => {
	const rateLimitedForAnHour = { kind: 'http-error' as const, status: 429, message: 'Rate limit reached', headers: { 'retry-after': '3600' } };

	test('without a fallback, the run fails at once with model_rate_limited and the provider retry time', async () => {
		server.load([rateLimitedForAnHour, { kind: 'reply', text: 'Paris.' }]);
		const { result: outcome, elapsedMs } = await timed(() => runAgent(spec(adapter.create(server)), input, realDeps()));
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_rate_limited' } });
		const message = outcome.status === 'failed' ? outcome.error.message : '';
		expect(message).toContain('It asked to retry after 3600 s.');
		expect(message).toContain('longer than a run waits between attempts (60 s), so it was not retried');
		expect(server.requests).toHaveLength(1);
		expect(elapsedMs).toBeLessThan(generousBoundMs);
	});

	test('with a fallback, the fallback answers at once', async () => {
		server.load([rateLimitedForAnHour, { kind: 'reply', text: 'Paris.' }]);
		const primary = adapter.create(server, { modelId: 'primary-model' });
		const fallbackModel = adapter.create(server, { modelId: 'fallback-model' });
		const { result: outcome, elapsedMs } = await timed(() => runAgent(spec(primary, { fallbackModel }), input, realDeps()));
		expect(outcome).toMatchObject({ status: 'done', output: 'Paris.' });
		expect(server.requests.map((request) => request.conversation.model)).toEqual(['primary-model', 'fallback-model']);
		expect(elapsedMs).toBeLessThan(generousBoundMs);
	});

	test("a retry-after that fits the cap but not the run's timeout is not waited for either", async () => {
		server.load([{ ...rateLimitedForAnHour, headers: { 'retry-after': '50' } }, { kind: 'reply', text: 'Paris.' }]);
		const model = adapter.create(server);
		const { result: outcome, elapsedMs } = await timed(() =>
			runAgent(spec(model, { limits: { maxTurns: 3, toolConcurrency: 1, maxOutputTokensPerTurn: 256, timeoutMs: 30_000 } }), input, realDeps()),
		);
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_rate_limited' } });
		expect(outcome.status === 'failed' ? outcome.error.message : '').toContain("Waiting 50 s for another attempt would outlast the run's timeout");
		expect(server.requests).toHaveLength(1);
		expect(elapsedMs).toBeLessThan(generousBoundMs);
	});
});

describe.each(adaptersUnderTest)('$wire: a web page instead of the API', (adapter) => {
	test('fails the run at once with model_invalid_response, not as an outage to retry', async () => {
		const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in.</body></html>';
		server.load([{ kind: 'raw', status: 200, contentType: 'text/html', body: page }, { kind: 'reply', text: 'Paris.' }]);
		const outcome = await runAgent(spec(adapter.create(server)), input, realDeps());
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_invalid_response' } });
		expect(outcome.status === 'failed' ? outcome.error.message : '').not.toContain('temporary');
		expect(server.requests).toHaveLength(1);
	});
});
