import { createHash } from 'node:crypto';

import { z } from 'zod/v4';

/** One request's input as Anthropic's usage reports it: the three parts are billed at different rates. */
export type InputBilling = { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };

/** How the simulated API caches prompts. */
export type CacheRules = {
	/** Off: `cache_control` is ignored and every token is billed as plain input. */
	caching: boolean;
	/** A prefix shorter than this is never cached (Anthropic: 1024 tokens for Sonnet and Opus, 2048 for Haiku). */
	minimumCacheableTokens: number;
	/** Block boundaries before a breakpoint that are checked for an earlier cached prefix (Anthropic: about 20). */
	lookbackBlocks: number;
	/** How long a cached prefix lives after its last write or read (Anthropic's default: 5 minutes). */
	timeToLiveMs: number;
};

export const anthropicCacheRules: Omit<CacheRules, 'caching'> = { minimumCacheableTokens: 1024, lookbackBlocks: 20, timeToLiveMs: 5 * 60_000 };

/** Anthropic bills cache writes at 1.25× and cache reads at 0.1× the base input price (5-minute cache). */
export const cacheWriteRate = 1.25;
export const cacheReadRate = 0.1;

/** Input tokens in units of the base input price. */
export function billedInputTokens(usage: InputBilling): number {
	return usage.inputTokens + cacheWriteRate * usage.cacheWriteTokens + cacheReadRate * usage.cacheReadTokens;
}

/** One block of the prompt in Anthropic's order, with its size and whether a cache breakpoint ends it. */
export type PromptBlock = { canonical: string; tokens: number; breakpoint: boolean };

const block = z.looseObject({ type: z.string() });
const requestBodySchema = z.looseObject({
	tools: z.array(z.looseObject({ name: z.string() })).optional(),
	system: z.union([z.string(), z.array(block)]).optional(),
	messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) })),
	/** Automatic caching: a breakpoint on the request's last block, wherever the conversation has got to. */
	cache_control: z.looseObject({ type: z.string() }).optional(),
});

/** The Messages API request fields that billing reads. */
export type BilledRequestBody = z.infer<typeof requestBodySchema>;

export function parseBilledRequest(body: unknown): BilledRequestBody {
	const parsed = requestBodySchema.safeParse(body);
	if (!parsed.success) throw new Error(`Not a Messages API request: ${z.prettifyError(parsed.error)}`);
	return parsed.data;
}

/** About four characters per token, counted on each block's canonical JSON. */
const tokensOf = (text: string): number => Math.ceil(text.length / 4);

function promptBlock(value: Record<string, unknown>, role?: string): PromptBlock {
	const { cache_control: cacheControl, ...rest } = value;
	const canonical = JSON.stringify(role === undefined ? rest : { role, block: rest });
	return { canonical, tokens: tokensOf(canonical), breakpoint: cacheControl !== undefined };
}

/**
 * The request as a list of blocks in the order Anthropic caches it: tools, system blocks, then each
 * message's content blocks (tagged with the message's role). A block is identified by its JSON
 * without `cache_control`, so moving a breakpoint does not change the prompt it marks. A
 * `cache_control` at the top of the request (Anthropic's automatic caching, which n8n's Anthropic
 * Chat Model sends for its Prompt Caching option) is a breakpoint on the last block.
 */
export function promptBlocks(body: BilledRequestBody): PromptBlock[] {
	const asText = (text: string) => ({ type: 'text', text });
	const system = typeof body.system === 'string' ? [asText(body.system)] : (body.system ?? []);
	const blocks = [
		...(body.tools ?? []).map((tool) => promptBlock(tool)),
		...system.map((systemBlock) => promptBlock(systemBlock)),
		...body.messages.flatMap((message) =>
			(typeof message.content === 'string' ? [asText(message.content)] : message.content).map((contentBlock) => promptBlock(contentBlock, message.role)),
		),
	];
	const last = blocks.at(-1);
	if (body.cache_control !== undefined && last !== undefined) last.breakpoint = true;
	return blocks;
}

/** The prompt cache of one account: what earlier requests wrote, and the bill of each new request. */
export type PromptCache = { bill(blocks: readonly PromptBlock[], nowMs: number): InputBilling };

/**
 * Anthropic's prompt caching, simplified to what decides the bill. Each breakpoint whose prefix is
 * long enough writes that prefix to the cache. A request reads the longest prefix, ending at a block
 * boundary at most `lookbackBlocks` before one of its breakpoints, that an earlier request wrote
 * and that has not expired; the tokens from there to its last cacheable breakpoint are written; the
 * rest is plain input. Prefixes match by the exact bytes of their blocks' canonical JSON.
 */
export function createPromptCache(rules: CacheRules): PromptCache {
	const expiresAt = new Map<string, number>();
	return {
		bill(blocks, nowMs) {
			const totalTokens = blocks.reduce((sum, promptBlock) => sum + promptBlock.tokens, 0);
			if (!rules.caching) return { inputTokens: totalTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
			const { tokensThrough, prefixHashes } = prefixes(blocks);
			const breakpoints = blocks.flatMap((promptBlock, index) => (promptBlock.breakpoint ? [index] : []));

			let readThrough = -1;
			for (const breakpoint of breakpoints) {
				for (let index = breakpoint; index >= Math.max(0, breakpoint - rules.lookbackBlocks); index--) {
					if (index > readThrough && (expiresAt.get(prefixHashes[index]) ?? -Infinity) > nowMs) readThrough = index;
				}
			}
			const cacheReadTokens = readThrough >= 0 ? tokensThrough[readThrough] : 0;
			if (readThrough >= 0) expiresAt.set(prefixHashes[readThrough], nowMs + rules.timeToLiveMs);

			const cacheable = breakpoints.filter((index) => tokensThrough[index] >= rules.minimumCacheableTokens);
			for (const index of cacheable) expiresAt.set(prefixHashes[index], nowMs + rules.timeToLiveMs);
			const lastCacheable = cacheable.at(-1);
			const cacheWriteTokens = lastCacheable !== undefined && lastCacheable > readThrough ? tokensThrough[lastCacheable] - cacheReadTokens : 0;
			return { inputTokens: totalTokens - cacheReadTokens - cacheWriteTokens, cacheReadTokens, cacheWriteTokens };
		},
	};
}

/** Tokens up to and including each block, and a hash naming the prefix that ends with it. */
function prefixes(blocks: readonly PromptBlock[]): { tokensThrough: number[]; prefixHashes: string[] } {
	const hash = createHash('sha256');
	const tokensThrough: number[] = [];
	const prefixHashes: string[] = [];
	let tokens = 0;
	for (const promptBlock of blocks) {
		tokens += promptBlock.tokens;
		// A separator no JSON text contains keeps two block lists with the same characters apart.
		hash.update(`${promptBlock.canonical}\u0000`);
		tokensThrough.push(tokens);
		prefixHashes.push(hash.copy().digest('hex'));
	}
	return { tokensThrough, prefixHashes };
}
