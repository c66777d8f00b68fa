import type * as OpenAiSdk from '@ai-sdk/openai';
import { fetchRefusingPages } from './api-response-check';
import type { LanguageModel, ModelRequest, ModelResponse } from './language-model';
import { estimateUsage } from './estimate-usage';
import { chatStreamErrorFailure, toChatFailure } from './openai-compatible-errors';
import { fetchWithReplayedReasoning, reasoningToReplay } from './openai-compatible-reasoning';
import { toChatCallOptions, type ChatLanguageModel } from './openai-compatible-prompt';
import { collectChatStream } from './openai-compatible-stream';
import { streamCutOffFailure, timeoutFailure, type ProviderLabel } from './provider-failure';
import { timeLimitedSignal } from './time-limit';

export type OpenAICompatibleModelOptions = {
	apiKey: string;
	/** Up to and including the version path, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
	baseUrl?: string;
	/** Extra headers some gateways need (OpenRouter's `HTTP-Referer`, Azure's `api-key`, …). */
	headers?: Record<string, string>;
	modelId: string;
	fetch?: typeof fetch;
	/** Time limit for one whole call, streaming included. */
	timeoutMs?: number;
};

const defaultBaseUrl = 'https://api.openai.com/v1';

// n8n loads every community node at start-up, so the SDK is required only when a run first calls a model.
let sdkModule: Promise<typeof OpenAiSdk> | undefined;
const loadOpenAiSdk = (): Promise<typeof OpenAiSdk> => (sdkModule ??= import('@ai-sdk/openai'));

/**
 * A LanguageModel on the Chat Completions API, which OpenAI and every OpenAI-compatible server
 * (OpenRouter, Ollama, vLLM, LM Studio, Groq, DeepSeek…) speak. It calls the AI SDK model's
 * `doStream` directly: the engine runs its own loop, so `generateText` would only add overhead.
 */
export const createOpenAICompatibleModel = (options: OpenAICompatibleModelOptions): LanguageModel => {
	const baseUrl = (options.baseUrl?.trim() || defaultBaseUrl).replace(/\/+$/, '');
	const label: ProviderLabel = {
		serviceName: `OpenAI-compatible API at ${baseUrl}`,
		credentialName: 'OpenAI-compatible',
		baseUrl,
		modelId: options.modelId,
	};

	const createChatModel = async (fetchOverride?: typeof fetch): Promise<ChatLanguageModel> => {
		const sdk = await loadOpenAiSdk();
		const provider = sdk.createOpenAI({ apiKey: options.apiKey, baseURL: baseUrl, headers: options.headers, fetch: fetchRefusingPages(label, fetchOverride ?? options.fetch) });
		return provider.chat(options.modelId);
	};
	let chatModel: ChatLanguageModel | undefined;
	// A request that sends reasoning back gets a model whose fetch adds it to the body; the others share one.
	const chatModelFor = async (request: ModelRequest): Promise<ChatLanguageModel> => {
		const reasoning = reasoningToReplay(request.messages);
		if (reasoning.some((text) => text !== undefined)) return await createChatModel(fetchWithReplayedReasoning(options.fetch ?? globalThis.fetch, reasoning));
		return (chatModel ??= await createChatModel());
	};

	const generate = async (request: ModelRequest): Promise<ModelResponse> => {
		const model = await chatModelFor(request);
		const limit = timeLimitedSignal(request.signal, options.timeoutMs);
		try {
			const { stream } = await model.doStream({ ...toChatCallOptions({ ...request, signal: limit.signal }), includeRawChunks: true });
			const result = await collectChatStream(stream, options.modelId, request.onTextDelta);
			if (result.outcome === 'error') throw chatStreamErrorFailure(label, result.error);
			if (result.outcome === 'cut-off') throw streamCutOffFailure(label);
			return result.usageReported ? result.response : { ...result.response, usage: estimateUsage(request, result.response.message) };
		} catch (error) {
			if (limit.timedOut()) throw timeoutFailure(label, options.timeoutMs, error);
			throw toChatFailure(label, error, { signal: limit.signal, nowMs: Date.now() });
		}
	};

	return { provider: 'openai-compatible', modelId: options.modelId, supportsStructuredOutput: true, generate };
};
