import { NodeOperationError, type IExecuteFunctions, type IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import {
	compileJsonSchema,
	defaultContextPolicy,
	createAnthropicModel,
	createOpenAICompatibleModel,
	jsonSchemaFromExample,
	priceOf,
	type AgentSpec,
	type JsonSchema,
	type JsonValue,
	type LanguageModel,
	type OutputSpec,
	type PriceTable,
	type Tool,
} from '../../lib/engine';

type Provider = 'anthropic' | 'openAiCompatible';

/** Reads one item's parameters (expressions resolved for that item) into the engine's agent spec. */
export async function agentSpecFromParameters(context: IExecuteFunctions, itemIndex: number, tools: readonly Tool[]): Promise<AgentSpec> {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const createModel = await modelFactory(context, itemIndex);
	const modelId = requiredString(context, 'model', itemIndex, 'Enter the model ID the provider uses, e.g. claude-sonnet-5-5.');
	const fallbackModelId = typeof options.fallbackModel === 'string' ? options.fallbackModel.trim() : '';
	const timeoutSeconds = Number(options.timeoutSeconds ?? 300);
	const tokenBudget = Number(options.tokenBudget ?? 0);
	const costBudget = Number(options.costBudgetUsd ?? 0);
	const softBudgetPercent = Number(options.softBudgetPercent ?? 80);
	return {
		model: createModel(modelId),
		price: priceOf(modelId, priceTableFromParameters(context, options.priceTable, itemIndex)),
		fallbackModel: fallbackModelId ? createModel(fallbackModelId) : undefined,
		instructions: String(context.getNodeParameter('instructions', itemIndex, '')),
		tools,
		output: outputSpecFromParameters(context, itemIndex, Number(options.repairTurns ?? 2)),
		contextPolicy: options.contextManagement === false ? undefined : defaultContextPolicy(contextWindow(context, itemIndex, Number(options.contextWindowTokens ?? 0))),
		limits: {
			maxTurns: Number(context.getNodeParameter('maxTurns', itemIndex, 10)),
			maxTotalTokens: tokenBudget > 0 ? tokenBudget : undefined,
			maxCostUsd: costBudget > 0 ? costBudget : undefined,
			softBudgetFraction: softBudgetPercent > 0 ? softBudgetPercent / 100 : undefined,
			onBudgetExceeded: options.onBudgetExceeded === 'ask' ? 'ask' : 'fail',
			timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
			toolConcurrency: Number(options.toolConcurrency ?? 4),
			maxOutputTokensPerTurn: Number(options.maxOutputTokens ?? 4096),
		},
		retry: { maxRetries: Number(options.maxRetries ?? 3), baseDelayMs: 500, maxDelayMs: 30_000 },
	};
}

async function modelFactory(context: IExecuteFunctions, itemIndex: number): Promise<(modelId: string) => LanguageModel> {
	const provider = context.getNodeParameter('provider', itemIndex) as Provider;
	if (provider === 'anthropic') {
		const credentials = await context.getCredentials<{ apiKey: string; baseUrl?: string }>('durableAgentAnthropicApi', itemIndex);
		return (modelId) => createAnthropicModel({ apiKey: credentials.apiKey, baseUrl: credentials.baseUrl || undefined, modelId });
	}
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl: string; headers?: string | IDataObject }>(
		'durableAgentOpenAiCompatibleApi',
		itemIndex,
	);
	const headers = parseHeaders(context, credentials.headers, itemIndex);
	return (modelId) => createOpenAICompatibleModel({ apiKey: credentials.apiKey ?? '', baseUrl: credentials.baseUrl, headers, modelId });
}

function parseHeaders(context: IExecuteFunctions, value: string | IDataObject | undefined, itemIndex: number): Record<string, string> {
	const parsed = typeof value === 'string' && value.trim() !== '' ? tryParseJson(value) : (value ?? {});
	if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(context.getNode(), "The credential's Extra Headers are not a JSON object", {
			itemIndex,
			description: 'Write them as {"Header-Name": "value"} in the OpenAI-compatible credential.',
		});
	}
	return Object.fromEntries(Object.entries(parsed).map(([name, header]) => [name, String(header)]));
}

function outputSpecFromParameters(context: IExecuteFunctions, itemIndex: number, repairTurns: number): OutputSpec {
	if (context.getNodeParameter('outputFormat', itemIndex) !== 'json') return { type: 'text' };
	const source = context.getNodeParameter('schemaSource', itemIndex, 'jsonSchema') as 'jsonSchema' | 'example';
	const parameterName = source === 'example' ? 'jsonExample' : 'jsonSchema';
	const raw = context.getNodeParameter(parameterName, itemIndex) as unknown;
	const value = typeof raw === 'string' ? tryParseJson(raw) : raw;
	const label = source === 'example' ? 'Example' : 'JSON Schema';
	if (value === undefined) {
		throw new NodeOperationError(context.getNode(), `The ${label} is not valid JSON`, {
			itemIndex,
			description: `Fix the JSON in '${label}' (check quotes and trailing commas).`,
		});
	}
	const schema = source === 'example' ? jsonSchemaFromExample(value as JsonValue) : (value as JsonSchema);
	const compiled = compileJsonSchema(schema);
	if (!compiled.ok) throw new NodeOperationError(context.getNode(), compiled.message, { itemIndex });
	return { type: 'json', schema, repairTurns };
}

const priceSchema = z.record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0), cacheRead: z.number().min(0), cacheWrite: z.number().min(0) }));

function priceTableFromParameters(context: IExecuteFunctions, value: unknown, itemIndex: number): PriceTable {
	const parsed = priceSchema.safeParse(typeof value === 'string' ? (value.trim() === '' ? {} : tryParseJson(value)) : (value ?? {}));
	if (parsed.success) return parsed.data;
	throw new NodeOperationError(context.getNode(), "The 'Price Table' option is invalid", {
		itemIndex,
		description: `Write it as {"model-id": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}} (USD per million tokens). ${z.prettifyError(parsed.error)}`,
	});
}

/** Context windows when the user leaves it at 0: what current models of each provider have at least. */
function contextWindow(context: IExecuteFunctions, itemIndex: number, configured: number): number {
	if (configured > 0) return Math.floor(configured);
	return context.getNodeParameter('provider', itemIndex) === 'anthropic' ? 200_000 : 128_000;
}

function requiredString(context: IExecuteFunctions, name: string, itemIndex: number, hint: string): string {
	const value = String(context.getNodeParameter(name, itemIndex, '')).trim();
	if (value === '') throw new NodeOperationError(context.getNode(), `'${name}' is empty`, { itemIndex, description: hint });
	return value;
}

function tryParseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
