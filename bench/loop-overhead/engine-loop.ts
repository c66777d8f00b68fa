import { createOpenAICompatibleModel, runAgent, systemDeps, type AgentSpec, type LanguageModel, type Tool } from '../../lib/engine';
import { createMemoryStore, createRunStore, type BlobStore } from '../../lib/storage';
import { loopScenario, lookupOutput, type LoopRunResult } from './scenario';

export type EngineRunOptions = {
	/** Where the run store writes; a fresh memory store when left out. */
	blobStore?: BlobStore;
	/** Called as each model call starts, to attribute storage writes to turns. */
	onModelCall?: () => void;
};

/** The engine's agent for the loop scenario: the OpenAI-compatible adapter and the lookup tool. */
function loopAgentSpec(maxTurns: number, model: LanguageModel, onToolCall: () => void): AgentSpec {
	const lookupTool: Tool = {
		...loopScenario.tool,
		concurrencySafe: true,
		async execute(input) {
			onToolCall();
			return lookupOutput(input);
		},
	};
	return {
		model,
		instructions: loopScenario.system,
		tools: [lookupTool],
		output: { type: 'text' },
		limits: { maxTurns, toolConcurrency: 4, maxOutputTokensPerTurn: loopScenario.maxOutputTokens },
		retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 1000 },
	};
}

function countingModel(model: LanguageModel, onModelCall: () => void): LanguageModel {
	return {
		provider: model.provider,
		modelId: model.modelId,
		supportsStructuredOutput: model.supportsStructuredOutput,
		generate(request) {
			onModelCall();
			return model.generate(request);
		},
	};
}

/** One run of the engine as the node makes one: runAgent with the real adapter and a run store. */
export async function runEngineLoop(baseUrl: string, turns: number, options: EngineRunOptions = {}): Promise<LoopRunResult> {
	let toolCalls = 0;
	const adapter = createOpenAICompatibleModel({ apiKey: loopScenario.apiKey, baseUrl, modelId: loopScenario.modelId });
	const model = options.onModelCall ? countingModel(adapter, options.onModelCall) : adapter;
	const spec = loopAgentSpec(turns, model, () => toolCalls++);
	const runId = `bench-${Math.random().toString(36).slice(2)}`;
	const location = { prefix: 'bench', workflowId: 'bench', executionId: 'loop', nodeId: 'agent', runId };
	const store = createRunStore(options.blobStore ?? createMemoryStore(), location);
	const outcome = await runAgent(spec, { runId, task: loopScenario.task }, systemDeps(store));
	if (outcome.status !== 'done') throw new Error(`The engine run ended '${outcome.status}' instead of 'done': ${JSON.stringify(outcome)}`);
	return { modelCalls: outcome.turns, toolCalls, finalText: String(outcome.output) };
}
