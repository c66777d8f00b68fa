import { NodeOperationError, type IExecuteFunctions, type IDataObject } from 'n8n-workflow';

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
	type Tool,
} from '../../lib/engine';
import { agentOptionsFromParameters, tryParseJson } from './agent-options';
import { connectedChatModel } from './n8n-model/connected-model-from-node';

type Provider = 'anthropic' | 'openAiCompatible' | 'connected';

/** Reads one item's parameters (expressions resolved for that item) into the engine's agent spec. */
export async function agentSpecFromParameters(context: IExecuteFunctions, itemIndex: number, tools: readonly Tool[]): Promise<AgentSpec> {
	const options = agentOptionsFromParameters(context, itemIndex);
	const { model, modelName, fallbackModel } = await modelsFromParameters(context, itemIndex, options.fallbackModel, tools);
	return {
		model,
		price: priceOf(modelName, options.priceTable),
		fallbackModel,
		instructions: String(context.getNodeParameter('instructions', itemIndex, '')),
		tools,
		output: outputSpecFromParameters(context, itemIndex, options.repairTurns),
		contextPolicy: options.contextManagement ? defaultContextPolicy(contextWindow(context, itemIndex, options.contextWindowTokens)) : undefined,
		limits: {
			maxTurns: options.maxTurns,
			maxTotalTokens: options.tokenBudget > 0 ? options.tokenBudget : undefined,
			maxCostUsd: options.costBudgetUsd > 0 ? options.costBudgetUsd : undefined,
			softBudgetFraction: options.softBudgetPercent > 0 ? options.softBudgetPercent / 100 : undefined,
			onBudgetExceeded: options.onBudgetExceeded,
			timeoutMs: options.timeoutSeconds > 0 ? options.timeoutSeconds * 1000 : undefined,
			toolConcurrency: options.toolConcurrency,
			maxOutputTokensPerTurn: options.maxOutputTokens,
		},
		retry: { maxRetries: options.maxRetries, baseDelayMs: 500, maxDelayMs: 30_000 },
	};
}

type ItemModels = { model: LanguageModel; modelName: string; fallbackModel?: LanguageModel };

/** The model (and fallback) of one item: a built-in provider's, or the connected Chat Model sub-node's. */
async function modelsFromParameters(context: IExecuteFunctions, itemIndex: number, fallbackModelId: string | undefined, tools: readonly Tool[]): Promise<ItemModels> {
	if (context.getNodeParameter('provider', itemIndex) === 'connected') {
		if (fallbackModelId) {
			throw new NodeOperationError(context.getNode(), "'Fallback Model' works with the built-in providers only", {
				itemIndex,
				description: "Remove 'Fallback Model' from the options: with a connected Chat Model, retries and fallbacks are the sub-node's (n8n's chat model nodes have their own retry settings).",
			});
		}
		const connected = await connectedChatModel(context, itemIndex, tools.length);
		return { model: connected.model, modelName: connected.modelName };
	}
	const createModel = await modelFactory(context, itemIndex);
	const modelId = requiredString(context, 'model', itemIndex, 'Enter the model ID the provider uses, e.g. claude-sonnet-5-5.');
	return { model: createModel(modelId), modelName: modelId, fallbackModel: fallbackModelId ? createModel(fallbackModelId) : undefined };
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

/** Context windows when the user leaves it at 0: what current models of each provider have at least. */
function contextWindow(context: IExecuteFunctions, itemIndex: number, configured: number): number {
	if (configured > 0) return configured;
	return context.getNodeParameter('provider', itemIndex) === 'anthropic' ? 200_000 : 128_000;
}

function requiredString(context: IExecuteFunctions, name: string, itemIndex: number, hint: string): string {
	const value = String(context.getNodeParameter(name, itemIndex, '')).trim();
	if (value === '') throw new NodeOperationError(context.getNode(), `'${name}' is empty`, { itemIndex, description: hint });
	return value;
}
