import { loopScenario, lookupOutput, type LoopRunResult } from './scenario';

/** A Chat Completions message as the bare loop keeps it: exactly what goes on the wire. */
type WireMessage =
	| { role: 'system' | 'user'; content: string }
	| { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
	| { role: 'tool'; tool_call_id: string; content: string };
type WireToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
type Turn = { text: string; toolCalls: WireToolCall[] };

const wireTools = [
	{
		type: 'function',
		function: { name: loopScenario.tool.name, description: loopScenario.tool.description, parameters: loopScenario.tool.inputSchema },
	},
];

/**
 * The least a tool-calling loop can do: POST, parse the answer, run the tool, append the messages,
 * repeat. No validation, retries, persistence or abstraction. `stream` picks SSE (the engine's
 * wire) or one JSON body.
 */
export async function runBareFetchLoop(baseUrl: string, turns: number, stream: boolean): Promise<LoopRunResult> {
	const messages: WireMessage[] = [
		{ role: 'system', content: loopScenario.system },
		{ role: 'user', content: loopScenario.task },
	];
	let toolCalls = 0;
	for (let modelCalls = 1; ; modelCalls++) {
		const response = await fetch(`${baseUrl}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${loopScenario.apiKey}` },
			body: JSON.stringify({
				model: loopScenario.modelId,
				messages,
				tools: wireTools,
				max_tokens: loopScenario.maxOutputTokens,
				...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
			}),
		});
		if (!response.ok) throw new Error(`The bare loop got HTTP ${response.status}: ${await response.text()}`);
		const turn = stream ? await readSse(response) : readJson(await response.json());
		if (turn.toolCalls.length === 0 || modelCalls >= turns) return { modelCalls, toolCalls, finalText: turn.text };
		messages.push({ role: 'assistant', content: turn.text === '' ? null : turn.text, tool_calls: turn.toolCalls });
		for (const call of turn.toolCalls) {
			toolCalls++;
			messages.push({ role: 'tool', tool_call_id: call.id, content: lookupOutput(JSON.parse(call.function.arguments)) });
		}
	}
}

function readJson(body: unknown): Turn {
	const message = (body as { choices: Array<{ message: { content: string | null; tool_calls?: WireToolCall[] } }> }).choices[0].message;
	return { text: message.content ?? '', toolCalls: message.tool_calls ?? [] };
}

type ChunkDelta = { content?: string; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> };

async function readSse(response: Response): Promise<Turn> {
	const turn: Turn = { text: '', toolCalls: [] };
	const decoder = new TextDecoder();
	let buffered = '';
	for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
		buffered += decoder.decode(bytes, { stream: true });
		let end: number;
		while ((end = buffered.indexOf('\n\n')) !== -1) {
			const event = buffered.slice(0, end);
			buffered = buffered.slice(end + 2);
			if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
			const delta = (JSON.parse(event.slice(6)) as { choices: Array<{ delta: ChunkDelta }> }).choices[0]?.delta;
			if (delta !== undefined) applyDelta(turn, delta);
		}
	}
	return turn;
}

function applyDelta(turn: Turn, delta: ChunkDelta): void {
	if (delta.content) turn.text += delta.content;
	for (const part of delta.tool_calls ?? []) {
		const call = (turn.toolCalls[part.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
		if (part.id) call.id = part.id;
		if (part.function?.name) call.function.name = part.function.name;
		if (part.function?.arguments) call.function.arguments += part.function.arguments;
	}
}
