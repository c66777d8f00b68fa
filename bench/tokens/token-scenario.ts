import type { JsonSchema } from '../../lib/engine';
import type { ScriptedReply } from '../../test/support/llm-server/script';

const areas = ['authentication', 'billing', 'search', 'storage', 'notifications', 'checkout'];
const signals = ['error rates above 2%', 'p95 latency above 800 ms', 'retry storms', 'timeouts to upstream services', 'deploys during the window', 'configuration changes'];
const services = ['auth-api', 'billing-worker', 'search-indexer', 'blob-gateway', 'notify-fanout', 'checkout-web', 'ledger-db', 'edge-proxy'];
const events = ['request served', 'cache miss', 'retry scheduled', 'upstream timeout', 'connection reset', 'slow query', 'deploy finished', 'config reloaded'];

/**
 * Standing instructions of a realistic size (about 1,400 tokens): with the tool definitions, a
 * stable prefix above Anthropic's 1,024-token minimum, so prompt caching has something to keep.
 */
const instructions = [
	'You review quarterly incident reports for an operations team. Read every part of the report with the fetch_report_part tool, in order, one part per turn, and keep notes as you go.',
	'When you have read every part, write a summary for the team: what broke, for how long, what it cost, and what to fix first.',
	'Review guidelines:',
	...areas.flatMap((area, areaIndex) =>
		signals.map((signal, signalIndex) => `${areaIndex * signals.length + signalIndex + 1}. For ${area}, note ${signal}: when it started, when it ended, which services it touched and whether a customer could see it.`),
	),
	'Quote log lines only when they prove a point. Never guess a cause the report does not support; say what is missing instead.',
].join('\n');

/**
 * The tokens benchmark's task: 30 model calls, the first 29 each reading one large report part
 * (30–60 KB of log text), the last one answering. The replies are fixed in advance and never depend
 * on what the request contains, so every configuration gets byte-identical answers.
 */
export const tokenScenario = {
	modelId: 'claude-sonnet-bench',
	apiKey: 'bench-key',
	instructions,
	contextWindowTokens: 100_000,
	maxOutputTokens: 1024,
	task: 'Review the quarterly incident report: read each of its parts with fetch_report_part, then summarise what the team must fix first.',
	tool: {
		name: 'fetch_report_part',
		description: 'Returns one part of the quarterly incident report: raw log lines with timestamps, services and events.',
		inputSchema: {
			type: 'object',
			properties: { part: { type: 'integer', minimum: 1, description: 'The part to read, starting at 1.' } },
			required: ['part'],
			additionalProperties: false,
		} satisfies JsonSchema,
	},
};

/** A small deterministic generator (mulberry32), so every run reads the same report. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
		mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Report part `part`: log lines totalling between 30,000 and 60,000 characters, the same on every call. */
export function reportPart(part: number): string {
	const random = seededRandom(part);
	const size = 30_000 + Math.floor(random() * 30_000);
	const pick = <Item>(items: readonly Item[]) => items[Math.floor(random() * items.length)];
	const lines: string[] = [];
	let length = 0;
	for (let line = 1; length < size; line++) {
		const seconds = String(line % 60).padStart(2, '0');
		const text =
			`2025-0${1 + (part % 3)}-${String(1 + (line % 28)).padStart(2, '0')}T10:${String(Math.floor(line / 60) % 60).padStart(2, '0')}:${seconds}Z ` +
			`part=${part} line=${line} service=${pick(services)} event="${pick(events)}" latency_ms=${Math.floor(random() * 2000)} status=${pick([200, 200, 200, 429, 500, 503])}`;
		lines.push(text);
		length += text.length + 1;
	}
	return lines.join('\n');
}

/** The model's replies for a task of `turns` model calls: a tool call per turn, then the answer. */
export function scriptedReplies(turns: number): ScriptedReply[] {
	const reads = Array.from({ length: turns - 1 }, (_, index): ScriptedReply => ({
		text: `Reading part ${index + 1} of the report.`,
		toolCalls: [{ id: `toolu_bench_${String(index + 1).padStart(3, '0')}`, name: tokenScenario.tool.name, arguments: { part: index + 1 } }],
	}));
	const answer: ScriptedReply = {
		text: `I read all ${turns - 1} parts. Checkout and billing saw repeated upstream timeouts with 503s during deploys; fix the deploy drain first, then the retry limits of billing-worker.`,
	};
	return [...reads, answer];
}

/** What the model answers when the engine asks it to summarise older turns (a request without tools). */
export const summaryReply: ScriptedReply = {
	text: 'Summary of the parts read so far: repeated upstream timeouts and 503s in checkout and billing, mostly during deploys; search and storage were healthy.',
};
