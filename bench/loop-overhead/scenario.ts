import type { JsonSchema } from '../../lib/engine';

/**
 * The one conversation every loop contender runs against the instant server: same system prompt,
 * same task, same tool (name, description, schema and output), same token limit.
 */
export const loopScenario = {
	modelId: 'bench-model',
	apiKey: 'bench-key',
	system: 'You are a careful assistant. Use the lookup tool for every step, then summarise.',
	task: 'Check each step of the order pipeline with the lookup tool, then tell me whether everything is fine.',
	maxOutputTokens: 1024,
	tool: {
		name: 'lookup',
		description: 'Looks up the details of one pipeline step.',
		inputSchema: {
			type: 'object',
			properties: { query: { type: 'string', description: 'What to look up.' } },
			required: ['query'],
			additionalProperties: false,
		} satisfies JsonSchema,
	},
};

/** The lookup tool's answer: a small fixed-size record, so no contender pays for a bigger result. */
export function lookupOutput(input: unknown): string {
	const query = (input as { query?: unknown }).query;
	return JSON.stringify({ query, status: 'ok', checkedBy: 'lookup', notes: 'No problems found at this step.' });
}

/** What a contender's run did, checked after every run so that no contender skips work. */
export type LoopRunResult = { modelCalls: number; toolCalls: number; finalText: string };
