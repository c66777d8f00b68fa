import { createAnthropicModel, defaultContextPolicy, runAgent, systemDeps, type AgentSpec, type LanguageModel, type Tool, type Usage } from '../../lib/engine';
import { createMemoryStore, createRunStore } from '../../lib/storage';
import type { BillingLlmServer } from './billing-llm-server';
import { reportPart, scriptedReplies, summaryReply, tokenScenario } from './token-scenario';

/** Which cost features a run has on. */
export type TokenConfiguration = { key: string; label: string; caching: boolean; contextManagement: boolean };

/** One model call of a run as the engine's usage reported it. */
export type CallRecord = {
	/** The turn it belongs to: a summarising call counts with the turn it comes before. */
	turn: number;
	summary: boolean;
	/** Every input token of the request: uncached, read from and written to the cache. */
	requestTokens: number;
};

export type TokenRunResult = { usage: Usage; calls: CallRecord[] };

function recordingModel(model: LanguageModel, calls: CallRecord[]): LanguageModel {
	let turns = 0;
	return {
		provider: model.provider,
		modelId: model.modelId,
		supportsStructuredOutput: model.supportsStructuredOutput,
		async generate(request) {
			const response = await model.generate(request);
			// The engine summarises with a request that offers no tools; every turn offers the report tool.
			const summary = request.tools.length === 0;
			if (!summary) turns++;
			const { inputTokens, cacheReadTokens, cacheWriteTokens } = response.usage;
			calls.push({ turn: summary ? turns + 1 : turns, summary, requestTokens: inputTokens + cacheReadTokens + cacheWriteTokens });
			return response;
		},
	};
}

function tokenAgentSpec(model: LanguageModel, configuration: TokenConfiguration, turns: number): AgentSpec {
	const reportTool: Tool = {
		...tokenScenario.tool,
		concurrencySafe: true,
		readOnly: true,
		execute: async (input) => reportPart((input as { part: number }).part),
	};
	return {
		model,
		instructions: tokenScenario.instructions,
		tools: [reportTool],
		output: { type: 'text' },
		// A property, not a spread: a renamed spec field then fails to compile instead of switching the feature off unseen.
		contextPolicy: configuration.contextManagement ? defaultContextPolicy(tokenScenario.contextWindowTokens) : undefined,
		limits: { maxTurns: turns, toolConcurrency: 4, maxOutputTokensPerTurn: tokenScenario.maxOutputTokens },
		retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 1000 },
	};
}

/**
 * The scripted task of `turns` model calls through the real Anthropic adapter, against its own run
 * on the billing server. Returns the engine's usage and every call's request size; checks that the
 * engine's totals are exactly what the server billed.
 */
export async function runTokenTask(server: BillingLlmServer, configuration: TokenConfiguration, turns: number): Promise<TokenRunResult> {
	const billed = server.openRun(configuration.key, { caching: configuration.caching, replies: scriptedReplies(turns), summaryReply });
	const calls: CallRecord[] = [];
	const adapter = createAnthropicModel({ apiKey: tokenScenario.apiKey, baseUrl: billed.baseUrl, modelId: tokenScenario.modelId });
	const spec = tokenAgentSpec(recordingModel(adapter, calls), configuration, turns);
	const runId = `bench-tokens-${configuration.key}`;
	const store = createRunStore(createMemoryStore(), { prefix: 'bench', workflowId: 'bench', executionId: 'tokens', nodeId: 'agent', runId });
	const outcome = await runAgent(spec, { runId, task: tokenScenario.task }, systemDeps(store));
	if (outcome.status !== 'done' || outcome.turns !== turns) {
		throw new Error(`The ${configuration.label} run should have answered at turn ${turns}; it ended '${outcome.status}' after ${outcome.turns} turns: ${JSON.stringify(outcome)}`);
	}
	const serverTotals = billed.ledger.reduce(
		(sum, request) => ({
			inputTokens: sum.inputTokens + request.inputTokens,
			cacheReadTokens: sum.cacheReadTokens + request.cacheReadTokens,
			cacheWriteTokens: sum.cacheWriteTokens + request.cacheWriteTokens,
		}),
		{ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
	);
	const engineTotals = { inputTokens: outcome.usage.inputTokens, cacheReadTokens: outcome.usage.cacheReadTokens, cacheWriteTokens: outcome.usage.cacheWriteTokens };
	if (JSON.stringify(engineTotals) !== JSON.stringify(serverTotals)) {
		throw new Error(`The engine counted ${JSON.stringify(engineTotals)} but the server billed ${JSON.stringify(serverTotals)} in the ${configuration.label} run.`);
	}
	return { usage: outcome.usage, calls };
}
