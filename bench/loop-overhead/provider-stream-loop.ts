import { createOpenAI } from '@ai-sdk/openai';

import type { ChatCallOptions } from '../../lib/engine/model/openai-compatible-prompt';
import { loopScenario, lookupOutput, type LoopRunResult } from './scenario';

type ChatPrompt = ChatCallOptions['prompt'];
type ChatTool = Extract<NonNullable<ChatCallOptions['tools']>[number], { type: 'function' }>;

/**
 * The floor for any engine on `@ai-sdk/openai`: the provider's `doStream` called in a plain loop,
 * its stream parts read and nothing else (no validation, persistence, retries or budgets). What the
 * engine costs above this is the engine; what this costs above the bare SSE loop is the provider.
 */
export async function runProviderStreamLoop(baseUrl: string, turns: number): Promise<LoopRunResult> {
	const model = createOpenAI({ apiKey: loopScenario.apiKey, baseURL: baseUrl }).chat(loopScenario.modelId);
	const tools: ChatTool[] = [
		{ type: 'function', name: loopScenario.tool.name, description: loopScenario.tool.description, inputSchema: loopScenario.tool.inputSchema as ChatTool['inputSchema'] },
	];
	const prompt: ChatPrompt = [
		{ role: 'system', content: loopScenario.system },
		{ role: 'user', content: [{ type: 'text', text: loopScenario.task }] },
	];
	let toolCalls = 0;
	for (let modelCalls = 1; ; modelCalls++) {
		const { stream } = await model.doStream({ prompt, tools, maxOutputTokens: loopScenario.maxOutputTokens });
		let text = '';
		const calls: Array<{ toolCallId: string; toolName: string; input: string }> = [];
		const reader = stream.getReader();
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			const part = next.value;
			if (part.type === 'text-delta') text += part.delta;
			else if (part.type === 'tool-call') calls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
			else if (part.type === 'error') throw new Error(`The provider stream failed: ${JSON.stringify(part.error)}`);
		}
		if (calls.length === 0 || modelCalls >= turns) return { modelCalls, toolCalls, finalText: text };
		prompt.push({ role: 'assistant', content: calls.map((call) => ({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: JSON.parse(call.input) as unknown })) });
		prompt.push({
			role: 'tool',
			content: calls.map((call) => {
				toolCalls++;
				return { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: { type: 'text', value: lookupOutput(JSON.parse(call.input)) } };
			}),
		});
	}
}
