import { defaultContextPolicy } from '../../lib/engine';
import type { BenchOptions, SectionReport } from '../support/report';
import { fixed, verdict } from '../support/statistics';
import { anthropicCacheRules, billedInputTokens, cacheReadRate, cacheWriteRate } from './anthropic-billing';
import { startBillingLlmServer } from './billing-llm-server';
import { runTokenTask, type TokenConfiguration, type TokenRunResult } from './token-run';
import { tokenScenario } from './token-scenario';

const configurations: TokenConfiguration[] = [
	{ key: 'off', label: 'both off', caching: false, contextManagement: false },
	{ key: 'on', label: 'both on: prompt caching and context management', caching: true, contextManagement: true },
	{ key: 'cachingOnly', label: 'prompt caching only (for reference)', caching: true, contextManagement: false },
	{ key: 'contextOnly', label: 'context management only (for reference)', caching: false, contextManagement: true },
];

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
/** Ratios of token totals run far below 1: three decimals keep them readable. */
const ratio = (value: number) => `${fixed(value, 3)}×`;

/** The largest request of a run up to and including `turn`. */
function peakThrough(result: TokenRunResult, turn: number): number {
	return Math.max(...result.calls.filter((call) => call.turn <= turn).map((call) => call.requestTokens));
}

/**
 * Tokens: the same scripted task through the real Anthropic adapter in each configuration, against
 * a local server that bills every request as Anthropic would and reports it in the usage the
 * engine reads. Token counts are deterministic, so one run per configuration is the measurement.
 */
export async function benchTokens(options: BenchOptions): Promise<SectionReport> {
	const turns = options.smoke ? 4 : 30;
	const seriesTurns = options.smoke ? [2, 4] : [5, 10, 15, 20, 25, 30];
	const server = await startBillingLlmServer();
	const results = new Map<string, TokenRunResult>();
	try {
		for (const configuration of configurations) results.set(configuration.key, await runTokenTask(server, configuration, turns));
	} finally {
		await server.close();
	}

	const billed = (key: string) => billedInputTokens(results.get(key)!.usage);
	const numbers: Record<string, number> = { billedRatioOnToOff: billed('on') / billed('off') };
	const mainRows = configurations.map(({ key, label }) => {
		const { usage, calls } = results.get(key)!;
		const sent = calls.reduce((sum, call) => sum + call.requestTokens, 0);
		const summaries = calls.filter((call) => call.summary).length;
		Object.assign(numbers, {
			[`${key}BilledInputTokens`]: billed(key),
			[`${key}InputTokens`]: usage.inputTokens,
			[`${key}CacheReadTokens`]: usage.cacheReadTokens,
			[`${key}CacheWriteTokens`]: usage.cacheWriteTokens,
			[`${key}SummaryCalls`]: summaries,
		});
		return [label, integer(billed(key)), ratio(billed(key) / billed('off')), integer(usage.inputTokens), integer(usage.cacheReadTokens), integer(usage.cacheWriteTokens), integer(sent), String(summaries)];
	});
	const peakRows = configurations.map(({ key, label }) => {
		const peaks = seriesTurns.map((turn) => peakThrough(results.get(key)!, turn));
		peaks.forEach((peak, index) => (numbers[`${key}PeakTokensTurn${seriesTurns[index]}`] = peak));
		return [label, ...peaks.map(integer)];
	});

	const policy = defaultContextPolicy(tokenScenario.contextWindowTokens);
	const threshold = policy.summarizeAtFraction * policy.contextWindowTokens;
	const halfway = seriesTurns[Math.floor((seriesTurns.length - 1) / 2)];
	const boundRows = ['off', 'on'].map((key) => {
		const last = peakThrough(results.get(key)!, turns);
		const growthPerTurn = (last - peakThrough(results.get(key)!, halfway)) / (turns - halfway);
		numbers[`${key}PeakGrowthPerTurn`] = growthPerTurn;
		const label = configurations.find((configuration) => configuration.key === key)!.label;
		return [label, integer(last), integer(growthPerTurn), `${verdict(last <= threshold)} (${integer(last)} vs ${integer(threshold)})`];
	});
	const readShare = (key: string) => {
		const { usage } = results.get(key)!;
		return usage.cacheReadTokens / (usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens);
	};
	const overWindow = results.get('off')!.calls.find((call) => call.requestTokens > policy.contextWindowTokens);
	const percent = (share: number) => `${fixed(share * 100, 0)}%`;
	const cacheNotes = [
		`Caching on top of context management: both on ÷ context management only = ${ratio(billed('on') / billed('contextOnly'))}; caching alone: ${ratio(billed('cachingOnly') / billed('off'))} of both off. ` +
			`Share of input tokens read from the cache: both on ${percent(readShare('on'))}, prompt caching only ${percent(readShare('cachingOnly'))}.`,
		// Said only while the numbers show it, so a cache-friendlier engine does not leave a stale explanation behind.
		...(readShare('on') < readShare('cachingOnly') / 2
			? [
					`Why caching adds little once context management is on: every turn shortens the tool result that has just left the ${policy.keepRecentToolResults} most recent (keepRecentToolResults), ` +
						'which changes the prompt before the previous turn\'s moving breakpoint. ' +
						`From then on each request reads only the stable prefix (tool definitions and instructions) from the cache and writes the whole conversation again, at ${cacheWriteRate}× the input price.`,
				]
			: []),
	];

	return {
		title: '6. Tokens',
		method:
			`A ${turns}-turn scripted task (${turns - 1} turns each read one report part of 30–60 KB of log text with a read-only tool, then an answer) through ` +
			'the real Anthropic adapter (createAnthropicModel) against a local Messages API server that bills each request as Anthropic would and returns the bill ' +
			'as the response usage; the numbers below are the engine\'s own usage totals (checked equal to the server\'s ledger). Context management is ' +
			`defaultContextPolicy(${tokenScenario.contextWindowTokens}); caching off means the server ignores cache_control (the adapter always sends breakpoints). ` +
			'Every configuration gets byte-identical scripted replies. Token counts are deterministic: one run per configuration.',
		tables: [
			{
				headers: ['Configuration', `Billed input tokens (input + ${cacheWriteRate} × cache write + ${cacheReadRate} × cache read)`, '÷ both off', 'Input (uncached)', 'Cache read', 'Cache write', 'All input tokens sent', 'Summary calls'],
				rows: mainRows,
			},
			{ headers: ['Peak request size (tokens) through turn', ...seriesTurns.map(String)], rows: peakRows },
			{
				headers: ['Configuration', `Peak request through turn ${turns} (tokens)`, `Growth per turn, turns ${halfway}–${turns} (tokens)`, `Under the summarising threshold (${policy.summarizeAtFraction} × ${integer(policy.contextWindowTokens)})`],
				rows: boundRows,
			},
		],
		notes: [
			`Billed input with both on ÷ both off: ${ratio(numbers.billedRatioOnToOff)}.`,
			...cacheNotes,
			'With context management a request grows only by what each older turn keeps (its tool call and a shortened result; results over ' +
				`${integer(policy.largeToolResultCharacters)} characters are stored and shown as a short preview); without it, by the whole 30–60 KB result. ` +
				'Summarising older turns caps the request at the threshold; the summary calls column shows whether this run got that far.',
			...(overWindow
				? [
						`Without context management the request passes the ${integer(policy.contextWindowTokens)}-token context window set for this task at turn ${overWindow.turn}: a real provider would refuse the run there. ` +
							'The simulated server accepts every request so that both runs can be compared over all turns.',
					]
				: []),
			'How the server bills (a simplification of Anthropic\'s documented behaviour): a request is its blocks in Anthropic\'s order (tool definitions, system blocks, each message\'s content blocks), ' +
				'each counted as ⌈characters of its canonical JSON ÷ 4⌉ tokens; the canonical JSON leaves out cache_control and tags message blocks with their role. ' +
				`Each cache_control breakpoint whose prefix reaches ${anthropicCacheRules.minimumCacheableTokens} tokens writes that prefix (Sonnet/Opus minimum; Haiku's is 2048). ` +
				`A request reads the longest prefix, ending at a block boundary up to ${anthropicCacheRules.lookbackBlocks} blocks before one of its breakpoints, that an earlier request of the same run wrote ` +
				`within ${anthropicCacheRules.timeToLiveMs / 60_000} minutes, matched by the exact bytes of the blocks' canonical JSON; from there to its last cacheable breakpoint is a cache write; the rest is uncached input. ` +
				'Runs do not share a cache. Real tokenizers count differently; the ratios are what this benchmark is for.',
			'The scripted model never reads an offloaded result back with read_tool_output (both configurations must get the same replies); a model that does pays for each page it reads.',
		],
		numbers,
	};
}
