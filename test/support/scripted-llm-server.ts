import http from 'node:http';
import { expectationFailure } from './llm-server/expectations';
import { playStep, sendError, sendJson } from './llm-server/play-step';
import { readConversation, type RecordedRequest, type WireFormat } from './llm-server/recorded-request';
import type { Scenario, Step } from './llm-server/script';
import { serveLocally } from './llm-server/serve-locally';

export type { RecordedRequest } from './llm-server/recorded-request';
export { loadScenario, type Scenario, type Step } from './llm-server/script';

/**
 * A local HTTP server that speaks the Anthropic Messages API (`POST /v1/messages`) and the Chat
 * Completions API (`POST /v1/chat/completions`), JSON and SSE, and answers each request with the
 * next step of a script. The real SDK clients talk to it as they would to the providers.
 */
export type ScriptedLlmServer = {
	url: string;
	/** For the Anthropic SDK, which appends `/v1/messages`. */
	anthropicBaseUrl: string;
	/** For the AI SDK's OpenAI provider, which appends `/chat/completions`. */
	openaiBaseUrl: string;
	/** Replaces the script; clears recorded requests and failures. */
	load(script: Scenario | Step[]): void;
	requests: RecordedRequest[];
	/** Steps whose `expect` rejected the request; that request was answered with a 400 naming the problem. */
	expectationFailures: string[];
	/** Steps not yet used: a test that ends with some left did not make the calls it scripted. */
	remainingSteps(): number;
	/** Resolves once `count` requests have arrived since the last `load`, e.g. to abort a call mid-answer. */
	requestReceived(count: number): Promise<void>;
	close(): Promise<void>;
};

const routes: Record<string, WireFormat> = { '/v1/messages': 'anthropic', '/v1/chat/completions': 'chat-completions' };

const readBody = async (request: http.IncomingMessage): Promise<string> => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
};

export const startScriptedLlmServer = async (): Promise<ScriptedLlmServer> => {
	let scenarioName = 'inline script';
	let steps: Step[] = [];
	let nextStep = 0;
	const requests: RecordedRequest[] = [];
	const expectationFailures: string[] = [];
	let waiters: Array<{ count: number; resolve: () => void }> = [];
	const notifyWaiters = () => {
		for (const waiter of waiters.filter((candidate) => requests.length >= candidate.count)) waiter.resolve();
		waiters = waiters.filter((candidate) => requests.length < candidate.count);
	};

	const answer = async (request: http.IncomingMessage, response: http.ServerResponse) => {
		const urlPath = (request.url ?? '/').split('?')[0];
		const wireFormat = routes[urlPath];
		if (request.method !== 'POST' || wireFormat === undefined) {
			sendJson(response, 404, { error: { message: `Scripted LLM server: no route for ${request.method} ${urlPath}` } });
			return;
		}
		const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
		const conversation = readConversation(wireFormat, body);
		const recorded: RecordedRequest = { path: urlPath, wireFormat, headers: request.headers, body, conversation };
		requests.push(recorded);
		notifyWaiters();

		const stepNumber = ++nextStep;
		const step = steps[stepNumber - 1];
		if (step === undefined) {
			const message =
				`Scripted LLM server: the script "${scenarioName}" has no step ${stepNumber} for this ${urlPath} request ` +
				`(it has ${steps.length}). Add the missing step to the test's script.`;
			sendError(response, wireFormat, 500, message);
			return;
		}
		const failure = expectationFailure(step.expect, recorded);
		if (failure !== undefined) {
			expectationFailures.push(`step ${stepNumber} of "${scenarioName}": ${failure}`);
			const message = `Scripted LLM server: step ${stepNumber} of "${scenarioName}" did not get the request it expected: ${failure}`;
			sendError(response, wireFormat, 400, message);
			return;
		}

		playStep(step, response, { wireFormat, body, stepNumber });
	};

	return {
		...(await serveLocally('Scripted LLM server', answer)),
		load(script) {
			scenarioName = Array.isArray(script) ? 'inline script' : script.name;
			steps = Array.isArray(script) ? script : script.steps;
			nextStep = 0;
			requests.length = 0;
			expectationFailures.length = 0;
		},
		requests,
		expectationFailures,
		remainingSteps: () => Math.max(0, steps.length - nextStep),
		requestReceived: (count) =>
			new Promise<void>((resolve) => {
				waiters.push({ count, resolve });
				notifyWaiters();
			}),
	};
};
