import { scriptedReplies, tokenScenario } from '../tokens/token-scenario';
import type { ScriptedReply } from '../../test/support/llm-server/script';

/** One task both agents run in n8n: `toolTurns` turns that each read a tool result, then an answer. */
export type InsideScenario = {
	key: 'short' | 'long';
	label: string;
	toolTurns: number;
	/** Each tool result has between `minimumCharacters` and `minimumCharacters + spreadCharacters` characters. */
	minimumCharacters: number;
	spreadCharacters: number;
	/** Measured runs of every contender, interleaved. */
	repetitions: number;
};

export const insideScenarios: InsideScenario[] = [
	{ key: 'short', label: 'short run: 10 tool turns with a 2,000-character result, then an answer', toolTurns: 10, minimumCharacters: 2_000, spreadCharacters: 0, repetitions: 7 },
	{ key: 'long', label: 'long run: 29 tool turns with 30–60 KB results, then an answer (30 model calls)', toolTurns: 29, minimumCharacters: 30_000, spreadCharacters: 30_000, repetitions: 3 },
];

/** Model calls of a run that ends as scripted: one per tool turn and one for the answer. */
export const modelCalls = (scenario: InsideScenario): number => scenario.toolTurns + 1;

/**
 * The name of the Code Tool node, which both agents turn into the tool name the scripted model
 * calls (n8n's agent and Durable AI Agent derive tool names from node names the same way).
 */
export const reportToolNodeName = tokenScenario.tool.name;

/** The model's replies: the tokens benchmark's script (read part 1, 2, … then answer) for this length. */
export function insideReplies(scenario: InsideScenario): ScriptedReply[] {
	return scriptedReplies(modelCalls(scenario));
}

/**
 * The Code Tool's JavaScript (run by n8n's task runner with the call's arguments as `query`): log
 * lines of the tokens benchmark's kind, seeded by the part number, cut to a size drawn from the same
 * seed. The same part always gives the same text, so every contender reads identical results.
 */
export function reportToolCode(scenario: Pick<InsideScenario, 'minimumCharacters' | 'spreadCharacters'>): string {
	return [
		'const part = Number(query.part);',
		'let state = part >>> 0;',
		'const random = () => {',
		'  state = (state + 0x6d2b79f5) >>> 0;',
		'  let mixed = Math.imul(state ^ (state >>> 15), 1 | state);',
		'  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;',
		'  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;',
		'};',
		"const services = ['auth-api', 'billing-worker', 'search-indexer', 'blob-gateway', 'notify-fanout', 'checkout-web', 'ledger-db', 'edge-proxy'];",
		"const events = ['request served', 'cache miss', 'retry scheduled', 'upstream timeout', 'connection reset', 'slow query', 'deploy finished', 'config reloaded'];",
		'const pick = (items) => items[Math.floor(random() * items.length)];',
		`const size = ${scenario.minimumCharacters} + Math.floor(random() * ${scenario.spreadCharacters});`,
		'const lines = [];',
		'let length = 0;',
		'for (let line = 1; length < size; line++) {',
		"  const text = `2025-01-${String(1 + (line % 28)).padStart(2, '0')}T10:${String(Math.floor(line / 60) % 60).padStart(2, '0')}:${String(line % 60).padStart(2, '0')}Z part=${part} line=${line} service=${pick(services)} event=\"${pick(events)}\" latency_ms=${Math.floor(random() * 2000)} status=${pick([200, 200, 200, 429, 500, 503])}`;",
		'  lines.push(text);',
		'  length += text.length + 1;',
		'}',
		"return lines.join('\\n').slice(0, size);",
	].join('\n');
}

/** What the Code Tool returns for `part`, computed here the way n8n's task runner runs it. */
export function reportToolResult(scenario: InsideScenario, part: number): string {
	const run = new Function('query', reportToolCode(scenario)) as (query: { part: number }) => unknown;
	const result = run({ part });
	if (typeof result !== 'string') throw new Error(`The report tool's code returned ${typeof result}, not text.`);
	return result;
}
