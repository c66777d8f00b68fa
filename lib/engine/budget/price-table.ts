import type { Usage } from '../model/messages';

/** US dollars per million tokens of each kind. */
export type ModelPrice = { input: number; output: number; cacheRead: number; cacheWrite: number };

export type PriceTable = Record<string, ModelPrice>;

/**
 * List prices of current models (USD per million tokens), read from the providers' pricing pages
 * as published in late 2026: platform.claude.com "Pricing" and the model pages (Claude), and
 * developers.openai.com "Pricing" (GPT). `cacheWrite` is Anthropic's 5-minute cache write, the one
 * this package's cache breakpoints use; OpenAI bills no cache writes. A user table overrides these
 * per model; prices change, so the node lets users correct them.
 */
export const defaultPrices: PriceTable = {
	'claude-fable-5-2': { input: 8, output: 40, cacheRead: 0.2, cacheWrite: 10 },
	'claude-mythos-5-2': { input: 8, output: 40, cacheRead: 0.2, cacheWrite: 10 },
	'claude-fable-5-1': { input: 10, output: 50, cacheRead: 0.25, cacheWrite: 12.5 },
	'claude-mythos-5-1': { input: 10, output: 50, cacheRead: 0.25, cacheWrite: 12.5 },
	'claude-fable-5': { input: 10, output: 50, cacheRead: 1, cacheWrite: 12.5 },
	'claude-mythos-5': { input: 10, output: 50, cacheRead: 1, cacheWrite: 12.5 },
	'claude-opus-5-5': { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 },
	'claude-opus-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
	'claude-opus-4-8': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
	'claude-opus-4-7': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
	'claude-opus-4-6': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
	'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
	'claude-sonnet-5-5': { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 },
	'claude-sonnet-5': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
	'claude-sonnet-4-6': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
	// Haiku 5.5 bills prompts over 100,000 tokens at five times these rates; this is the lower band.
	'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite: 0.125 },
	'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
	'gpt-5.5': { input: 5, output: 30, cacheRead: 0.5, cacheWrite: 0 },
	'gpt-5.4': { input: 2.5, output: 15, cacheRead: 0.25, cacheWrite: 0 },
	'gpt-5.4-mini': { input: 0.75, output: 4.5, cacheRead: 0.075, cacheWrite: 0 },
	'gpt-5.4-nano': { input: 0.2, output: 1.25, cacheRead: 0.02, cacheWrite: 0 },
	// Older GPT models OpenAI no longer lists, still served through Azure and routers.
	'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 },
	'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0 },
	'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 },
	'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 },
};

/**
 * The price of a model: the user's table first, then the defaults; a dated model id
 * (`claude-haiku-4-5-20251001`) or a routed one (`anthropic/claude-sonnet-5-5`) falls back to its base name.
 */
export function priceOf(modelId: string, overrides: PriceTable = {}): ModelPrice | undefined {
	const candidates = [modelId, modelId.replace(/-\d{8}$/, ''), modelId.split('/').at(-1) ?? modelId, (modelId.split('/').at(-1) ?? modelId).replace(/-\d{8}$/, '')];
	for (const candidate of candidates) {
		const price = overrides[candidate] ?? defaultPrices[candidate];
		if (price) return price;
	}
	return undefined;
}

/** Estimated cost in USD; cache tokens are priced separately from plain input, as providers bill them. */
export function costOf(usage: Usage, price: ModelPrice): number {
	const dollars =
		(usage.inputTokens * price.input + usage.outputTokens * price.output + usage.cacheReadTokens * price.cacheRead + usage.cacheWriteTokens * price.cacheWrite) / 1_000_000;
	return Math.round(dollars * 1_000_000) / 1_000_000;
}
