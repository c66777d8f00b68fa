import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { PriceTable } from '../../lib/engine';
import { expectedNumber, numberSchema, type NumberRule } from './number-parameter';

/** The node's number settings: where each lives, its label in the node, its bounds and its default. */
const numberSettings = {
	maxTurns: { displayName: 'Max Turns', integer: true, min: 1, fallback: 10 },
	timeoutSeconds: { displayName: 'Timeout (Seconds)', integer: false, min: 0, fallback: 300 },
	tokenBudget: { displayName: 'Token Budget', integer: true, min: 0, fallback: 0 },
	costBudgetUsd: { displayName: 'Cost Budget (USD)', integer: false, min: 0, fallback: 0 },
	softBudgetPercent: { displayName: 'Soft Budget (%)', integer: false, min: 0, max: 100, fallback: 80 },
	repairTurns: { displayName: 'Repair Turns', integer: true, min: 0, max: 10, fallback: 2 },
	contextWindowTokens: { displayName: 'Context Window (Tokens)', integer: true, min: 0, fallback: 0 },
	toolConcurrency: { displayName: 'Tool Concurrency', integer: true, min: 1, max: 32, fallback: 4 },
	maxOutputTokens: { displayName: 'Max Output Tokens Per Turn', integer: true, min: 1, fallback: 4096 },
	maxRetries: { displayName: 'Max Retries', integer: true, min: 0, max: 10, fallback: 3 },
} satisfies Record<string, NumberRule & { displayName: string; fallback: number }>;

type NumberSetting = keyof typeof numberSettings;

const setting = (name: NumberSetting) => numberSchema(numberSettings[name], numberSettings[name].fallback);

const priceSchema = z.record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0), cacheRead: z.number().min(0), cacheWrite: z.number().min(0) }));

const agentOptionsSchema = z.object({
	maxTurns: setting('maxTurns'),
	timeoutSeconds: setting('timeoutSeconds'),
	tokenBudget: setting('tokenBudget'),
	costBudgetUsd: setting('costBudgetUsd'),
	softBudgetPercent: setting('softBudgetPercent'),
	repairTurns: setting('repairTurns'),
	contextWindowTokens: setting('contextWindowTokens'),
	toolConcurrency: setting('toolConcurrency'),
	maxOutputTokens: setting('maxOutputTokens'),
	maxRetries: setting('maxRetries'),
	contextManagement: z.boolean().default(true),
	onBudgetExceeded: z.enum(['fail', 'ask']).default('fail'),
	fallbackModel: z.string().trim().default(''),
});

/** One item's run settings: 'Max Turns' and the Options collection, checked. The price table is read on its own. */
export type AgentOptions = z.infer<typeof agentOptionsSchema> & { priceTable: PriceTable };

/**
 * Reads 'Max Turns' and the Options collection of one item (expressions resolved) once, into typed
 * settings. A value the node cannot use is a NodeOperationError naming the setting and what to enter.
 */
export function agentOptionsFromParameters(context: IExecuteFunctions, itemIndex: number): AgentOptions {
	const options = context.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const raw = { ...options, maxTurns: context.getNodeParameter('maxTurns', itemIndex, undefined) };
	const parsed = agentOptionsSchema.safeParse(raw);
	if (!parsed.success) throw optionError(context, itemIndex, parsed.error, raw);
	return { ...parsed.data, priceTable: priceTableFromParameters(context, options.priceTable, itemIndex) };
}

const itemConcurrencyRule = { displayName: 'Item Concurrency', integer: true, min: 1, max: 100 } as const;

/** 'Item Concurrency': one setting for the whole node run (read at item 0), checked like the others. */
export function itemConcurrencyFromParameters(context: IExecuteFunctions): number {
	const value = (context.getNodeParameter('options', 0, {}) as Record<string, unknown>).itemConcurrency;
	const parsed = numberSchema(itemConcurrencyRule, 5).safeParse(value);
	if (parsed.success) return parsed.data;
	throw new NodeOperationError(context.getNode(), `'${itemConcurrencyRule.displayName}' must be ${expectedNumber(itemConcurrencyRule)}`, {
		description: `It is ${JSON.stringify(value) ?? String(value)}. Enter ${expectedNumber(itemConcurrencyRule)} in '${itemConcurrencyRule.displayName}'.`,
	});
}

function optionError(context: IExecuteFunctions, itemIndex: number, error: z.ZodError, raw: Record<string, unknown>): NodeOperationError {
	const name = String(error.issues[0].path[0]);
	const given = `It is ${JSON.stringify(raw[name]) ?? String(raw[name])}.`;
	if (name in numberSettings) {
		const rule = numberSettings[name as NumberSetting];
		return new NodeOperationError(context.getNode(), `'${rule.displayName}' must be ${expectedNumber(rule)}`, {
			itemIndex,
			description: `${given} Enter ${expectedNumber(rule)} in '${rule.displayName}'.`,
		});
	}
	return new NodeOperationError(context.getNode(), `The option '${name}' is invalid`, { itemIndex, description: `${given} ${z.prettifyError(error)}` });
}

function priceTableFromParameters(context: IExecuteFunctions, value: unknown, itemIndex: number): PriceTable {
	const parsed = priceSchema.safeParse(typeof value === 'string' ? (value.trim() === '' ? {} : tryParseJson(value)) : (value ?? {}));
	if (parsed.success) return parsed.data;
	throw new NodeOperationError(context.getNode(), "The 'Price Table' option is invalid", {
		itemIndex,
		description: `Write it as {"model-id": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}} (USD per million tokens). ${z.prettifyError(parsed.error)}`,
	});
}

export function tryParseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
