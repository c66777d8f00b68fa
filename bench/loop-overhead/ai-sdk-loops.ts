import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool, type JSONSchema7 } from 'ai';

import type { LoopRunResult } from './scenario';
import { loopScenario, lookupOutput } from './scenario';

/** The lookup tool and a fresh provider, built per run as an n8n item would build them. */
function aiSdkSetup(baseUrl: string, onToolCall: () => void) {
	const model = createOpenAI({ apiKey: loopScenario.apiKey, baseURL: baseUrl }).chat(loopScenario.modelId);
	const tools = {
		[loopScenario.tool.name]: tool({
			description: loopScenario.tool.description,
			inputSchema: jsonSchema<{ query: string }>(loopScenario.tool.inputSchema as JSONSchema7),
			execute: async (input) => {
				onToolCall();
				return lookupOutput(input);
			},
		}),
	};
	return { model, tools };
}

/** The scenario's conversation as both AI SDK loops take it: `turns` steps at most, no retries. */
function loopOptions<Tools extends ReturnType<typeof aiSdkSetup>['tools']>(model: ReturnType<typeof aiSdkSetup>['model'], tools: Tools, turns: number) {
	return { model, system: loopScenario.system, prompt: loopScenario.task, tools, maxOutputTokens: loopScenario.maxOutputTokens, maxRetries: 0, stopWhen: stepCountIs(turns) };
}

/** The Vercel AI SDK's own loop: generateText (JSON responses) until `turns` steps. */
export async function runGenerateTextLoop(baseUrl: string, turns: number): Promise<LoopRunResult> {
	let toolCalls = 0;
	const { model, tools } = aiSdkSetup(baseUrl, () => toolCalls++);
	const result = await generateText(loopOptions(model, tools, turns));
	return { modelCalls: result.steps.length, toolCalls, finalText: result.text };
}

/** The same loop streamed: streamText, the AI SDK's counterpart on the SSE wire the engine uses. */
export async function runStreamTextLoop(baseUrl: string, turns: number): Promise<LoopRunResult> {
	let toolCalls = 0;
	const { model, tools } = aiSdkSetup(baseUrl, () => toolCalls++);
	let streamError: unknown;
	const result = streamText({
		...loopOptions(model, tools, turns),
		onError: ({ error }) => {
			streamError = error;
		},
	});
	const [steps, finalText] = await Promise.all([result.steps, result.text]);
	if (streamError !== undefined) throw streamError;
	return { modelCalls: steps.length, toolCalls, finalText };
}
