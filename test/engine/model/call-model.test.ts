import { callModel, maxRetryAfterMs, type CallModelDeps, type RetryPolicy } from '../../../lib/engine/model/call-model';
import type { ModelRequest } from '../../../lib/engine/model/language-model';
import { ModelCallError, type ModelErrorKind } from '../../../lib/engine/model/model-error';
import { fakeModel, textReply } from '../../support/fake-model';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

const request = (signal: AbortSignal = new AbortController().signal): ModelRequest => ({
	system: '',
	messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
	tools: [],
	maxOutputTokens: 100,
	signal,
});

const failure = (kind: ModelErrorKind, options: { retryAfterMs?: number; message?: string } = {}) =>
	new ModelCallError(kind, options.message ?? `${kind} failure.`, { retryAfterMs: options.retryAfterMs });

/**
 * A sleep that returns at once, records what it was asked to wait and moves a fake clock (starting
 * at 0) by that much; `random` plays back `randoms`.
 */
const recordingDeps = (randoms: number[] = [0.5]) => {
	const delays: number[] = [];
	let draw = 0;
	let clockMs = 0;
	const deps: CallModelDeps = {
		sleep: async (ms, signal) => {
			delays.push(ms);
			clockMs += ms;
			if (signal.aborted) throw new Error('aborted');
		},
		random: () => randoms[Math.min(draw++, randoms.length - 1)],
		now: () => clockMs,
	};
	return { delays, deps };
};

describe('callModel retries', () => {
	test('a successful first call: no waiting, no fallback', async () => {
		const { delays, deps } = recordingDeps();
		const result = await callModel(request(), { primary: fakeModel([textReply('Hello')]) }, policy, deps);
		expect(result.message.content).toEqual([{ type: 'text', text: 'Hello' }]);
		expect(result.usedFallback).toBe(false);
		expect(delays).toEqual([]);
	});

	test('retryable failures are retried with exponential full-jitter backoff', async () => {
		const primary = fakeModel([failure('server'), failure('network'), failure('invalid-response'), textReply('Finally')]);
		const { delays, deps } = recordingDeps([0.5]);
		const result = await callModel(request(), { primary }, policy, deps);
		expect(result.message.content).toEqual([{ type: 'text', text: 'Finally' }]);
		expect(primary.requests).toHaveLength(4);
		// random 0.5 × (100, 200, 400)
		expect(delays).toEqual([50, 100, 200]);
	});

	test('the backoff ceiling doubles up to maxDelayMs and jitter spreads below it', async () => {
		const primary = fakeModel([failure('server'), failure('server'), failure('server'), failure('server'), failure('server'), textReply('ok')]);
		const { delays, deps } = recordingDeps([0.999, 0.999, 0.999, 0.999, 0]);
		await callModel(request(), { primary }, { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 1000 }, deps);
		expect(delays).toEqual([199, 399, 799, 999, 0]);
	});

	test('retry-after from the provider is the delay, up to a minute', async () => {
		const primary = fakeModel([
			failure('rate-limited', { retryAfterMs: 2500 }),
			failure('rate-limited', { retryAfterMs: maxRetryAfterMs }),
			textReply('ok'),
		]);
		const { delays, deps } = recordingDeps();
		await callModel(request(), { primary }, policy, deps);
		expect(delays).toEqual([2500, maxRetryAfterMs]);
	});

	test('a retry-after beyond a minute is not waited for: the error comes at once and says why', async () => {
		const primary = fakeModel([failure('rate-limited', { retryAfterMs: 3_600_000, message: 'Rate limited (429). It asked to retry after 3600 s.' }), textReply('never')]);
		const { delays, deps } = recordingDeps();
		const error = await callModel(request(), { primary }, policy, deps).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			kind: 'rate-limited',
			retryAfterMs: 3_600_000,
			message: 'Rate limited (429). It asked to retry after 3600 s. That is longer than a run waits between attempts (60 s), so it was not retried.',
		});
		expect(primary.requests).toHaveLength(1);
		expect(delays).toEqual([]);
	});

	test('no retry waits past the run deadline: the last error comes at once instead', async () => {
		const primary = fakeModel([failure('server'), failure('rate-limited', { retryAfterMs: 30_000 }), textReply('never')]);
		const { delays, deps } = recordingDeps([0.5]);
		const error = await callModel(request(), { primary }, policy, deps, { deadlineMs: 10_000 }).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ kind: 'rate-limited' });
		expect((error as Error).message).toContain("Waiting 30 s for another attempt would outlast the run's timeout, so it was not retried.");
		// The first backoff (50 ms) fitted before the deadline; the 30 s retry-after did not.
		expect(delays).toEqual([50]);
		expect(primary.requests).toHaveLength(2);
	});

	test('an error marked not retryable is thrown at once, whatever its kind', async () => {
		const page = new ModelCallError('invalid-response', 'A web page instead of the API.', { retryable: false });
		const primary = fakeModel([page, textReply('never')]);
		const { delays, deps } = recordingDeps();
		await expect(callModel(request(), { primary }, policy, deps)).rejects.toBe(page);
		expect(primary.requests).toHaveLength(1);
		expect(delays).toEqual([]);
	});

	test.each(['auth', 'bad-request', 'cancelled', 'timeout'] as const)('%s is not retried on the same model', async (kind) => {
		const primary = fakeModel([failure(kind), textReply('never')]);
		const { delays, deps } = recordingDeps();
		await expect(callModel(request(), { primary }, policy, deps)).rejects.toMatchObject({ kind });
		expect(primary.requests).toHaveLength(1);
		expect(delays).toEqual([]);
	});

	test('when retries run out, the last error is thrown and says how many attempts were made', async () => {
		const primary = fakeModel([failure('server'), failure('server'), failure('server', { message: 'The API failed (503).' })]);
		const { deps } = recordingDeps();
		const error = await callModel(request(), { primary }, { ...policy, maxRetries: 2 }, deps).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ModelCallError);
		expect(error).toMatchObject({ kind: 'server', message: 'The API failed (503). (Gave up after 3 attempts.)' });
	});

	test('maxRetries 0 makes a single attempt and throws its error unchanged', async () => {
		const original = failure('server');
		const { deps } = recordingDeps();
		await expect(callModel(request(), { primary: fakeModel([original]) }, { ...policy, maxRetries: 0 }, deps)).rejects.toBe(original);
	});

	test('an error that is not a ModelCallError is a bug and propagates as is', async () => {
		const bug = new TypeError('cannot read properties of undefined');
		const fallback = fakeModel([textReply('unused')]);
		const { deps } = recordingDeps();
		await expect(callModel(request(), { primary: fakeModel([bug]), fallback }, policy, deps)).rejects.toBe(bug);
		expect(fallback.requests).toHaveLength(0);
	});
});

describe('callModel cancellation', () => {
	test('an already aborted signal: cancelled without calling the model', async () => {
		const primary = fakeModel([textReply('never')]);
		const { deps } = recordingDeps();
		await expect(callModel(request(AbortSignal.abort()), { primary }, policy, deps)).rejects.toMatchObject({ kind: 'cancelled' });
		expect(primary.requests).toHaveLength(0);
	});

	test('an abort during the backoff wait: cancelled, no further attempt, no fallback', async () => {
		const controller = new AbortController();
		const primary = fakeModel([
			async () => {
				controller.abort();
				throw failure('server');
			},
			textReply('never'),
		]);
		const fallback = fakeModel([textReply('never')]);
		const { deps } = recordingDeps();
		await expect(callModel(request(controller.signal), { primary, fallback }, policy, deps)).rejects.toMatchObject({ kind: 'cancelled' });
		expect(primary.requests).toHaveLength(1);
		expect(fallback.requests).toHaveLength(0);
	});
});

describe('callModel fallback', () => {
	test('after the primary exhausts its retries, the fallback answers', async () => {
		const primary = fakeModel([failure('server'), failure('server'), failure('server')], { modelId: 'primary' });
		const fallback = fakeModel([textReply('From the fallback')], { modelId: 'fallback' });
		const { delays, deps } = recordingDeps();
		const result = await callModel(request(), { primary, fallback }, { ...policy, maxRetries: 2 }, deps);
		expect(result.usedFallback).toBe(true);
		expect(result.message.content).toEqual([{ type: 'text', text: 'From the fallback' }]);
		expect(delays).toEqual([50, 100]);
		expect(fallback.requests[0].messages).toEqual(primary.requests[0].messages);
	});

	test('the fallback gets its own retries under the same policy', async () => {
		const primary = fakeModel([failure('rate-limited'), failure('rate-limited')]);
		const fallback = fakeModel([failure('network'), textReply('ok')]);
		const { delays, deps } = recordingDeps();
		const result = await callModel(request(), { primary, fallback }, { ...policy, maxRetries: 1 }, deps);
		expect(result.usedFallback).toBe(true);
		expect(primary.requests).toHaveLength(2);
		expect(fallback.requests).toHaveLength(2);
		// One backoff on each model, each starting from the base delay.
		expect(delays).toEqual([50, 50]);
	});

	test('a retry-after beyond a minute on the primary goes straight to the fallback', async () => {
		const primary = fakeModel([failure('rate-limited', { retryAfterMs: 3_600_000 }), textReply('never')], { modelId: 'primary' });
		const fallback = fakeModel([{ ...textReply('From the fallback'), modelId: 'fallback' }], { modelId: 'fallback' });
		const { delays, deps } = recordingDeps();
		const result = await callModel(request(), { primary, fallback }, policy, deps);
		expect(result).toMatchObject({ usedFallback: true, modelId: 'fallback' });
		expect(primary.requests).toHaveLength(1);
		expect(delays).toEqual([]);
	});

	test('a timeout on the primary goes straight to the fallback', async () => {
		const primary = fakeModel([failure('timeout')]);
		const fallback = fakeModel([textReply('ok')]);
		const { deps } = recordingDeps();
		expect((await callModel(request(), { primary, fallback }, policy, deps)).usedFallback).toBe(true);
		expect(primary.requests).toHaveLength(1);
	});

	test.each(['auth', 'bad-request', 'cancelled'] as const)('a %s error on the primary does not use the fallback', async (kind) => {
		const fallback = fakeModel([textReply('unused')]);
		const { deps } = recordingDeps();
		await expect(callModel(request(), { primary: fakeModel([failure(kind)]), fallback }, policy, deps)).rejects.toMatchObject({ kind });
		expect(fallback.requests).toHaveLength(0);
	});

	test('when both fail, the error is the fallback one and its message names both models and causes', async () => {
		const primary = fakeModel([failure('server', { message: 'Primary overloaded (529).' })], { modelId: 'claude-big' });
		const fallback = fakeModel([failure('auth', { message: 'Fallback key rejected (401).' })], { modelId: 'gpt-small' });
		const { deps } = recordingDeps();
		const error = await callModel(request(), { primary, fallback }, { ...policy, maxRetries: 0 }, deps).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ModelCallError);
		expect((error as ModelCallError).kind).toBe('auth');
		expect((error as ModelCallError).message).toBe(
			'The fallback model "gpt-small" failed too: Fallback key rejected (401). ' +
				'The primary model "claude-big" had failed with: Primary overloaded (529).',
		);
	});
});
