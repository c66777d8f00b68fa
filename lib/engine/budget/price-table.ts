import type { Usage } from '../model/messages';

/** US dollars per million tokens of each kind. */
export type ModelPrice = { input: number; output: number; cacheRead: number; cacheWrite: number };

export type PriceTable = Record<string, ModelPrice>;

/**
 * List prices of common models (USD per million tokens) as published by the providers in 2025–26.
 * A user table overrides these per model; prices change, so the node lets users correct them.
 */
export const defaultPrices: PriceTable = {
	'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
	'claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
	'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
	'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
	'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
	'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 },
	'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0 },
	'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0 },
	'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 },
	'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 },
};

/**
 * The price of a model: the user's table first, then the defaults; a dated model id
 * (`claude-sonnet-4-5-20250929`) or a routed one (`anthropic/claude-sonnet-4-5`) falls back to its base name.
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
