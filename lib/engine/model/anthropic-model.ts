import type * as AnthropicSdk from '@anthropic-ai/sdk';
import { fetchRefusingPages } from './api-response-check';
import { toAnthropicFailure } from './anthropic-errors';
import { toAnthropicRequest } from './anthropic-request';
import { collectAnthropicStream } from './anthropic-stream';
import { estimateUsage } from './estimate-usage';
import type { LanguageModel, ModelRequest, ModelResponse } from './language-model';
import { streamCutOffFailure, timeoutFailure, type ProviderLabel } from './provider-failure';
import { timeLimitedSignal } from './time-limit';

export type AnthropicModelOptions = {
	apiKey: string;
	/** Without the trailing `/v1`, as in the credential; defaults to Anthropic's own API. */
	baseUrl?: string;
	modelId: string;
	fetch?: typeof fetch;
	/** Time limit for one whole call, streaming included; without it only the SDK's 10-minute wait for headers applies. */
	timeoutMs?: number;
};

const defaultBaseUrl = 'https://api.anthropic.com';

// n8n loads every community node at start-up, so the SDK is required only when a run first calls a model.
let sdkModule: Promise<typeof AnthropicSdk> | undefined;
const loadAnthropicSdk = (): Promise<typeof AnthropicSdk> => (sdkModule ??= import('@anthropic-ai/sdk'));

/** A LanguageModel on the Anthropic Messages API, streaming every call. */
export const createAnthropicModel = (options: AnthropicModelOptions): LanguageModel => {
	const baseUrl = (options.baseUrl?.trim() || defaultBaseUrl).replace(/\/+$/, '');
	const label: ProviderLabel = { serviceName: 'Anthropic API', credentialName: 'Anthropic', baseUrl, modelId: options.modelId };

	let client: { sdk: typeof AnthropicSdk; anthropic: AnthropicSdk.Anthropic } | undefined;
	const getClient = async () => {
		if (client) return client;
		const sdk = await loadAnthropicSdk();
		const anthropic = new sdk.Anthropic({
			// The key goes in `x-api-key`, the header Anthropic documents and gateways expect; this SDK
			// version would otherwise send it as a bearer token. Null keeps it from reading env vars.
			apiKey: null,
			authToken: null,
			// An empty key is a gateway that adds its own: no key header, and no Authorization either.
			defaultHeaders: options.apiKey === '' ? { authorization: null } : { 'x-api-key': options.apiKey },
			baseURL: baseUrl,
			fetch: fetchRefusingPages(label, options.fetch),
			// callModel retries with our own policy and can switch to a fallback model; SDK retries
			// would multiply with ours and hide failures from it.
			maxRetries: 0,
		});
		client = { sdk, anthropic };
		return client;
	};

	const generate = async (request: ModelRequest): Promise<ModelResponse> => {
		const { sdk, anthropic } = await getClient();
		const limit = timeLimitedSignal(request.signal, options.timeoutMs);
		try {
			const events = await anthropic.messages.create(toAnthropicRequest(options.modelId, request), { signal: limit.signal });
			const result = await collectAnthropicStream(events, options.modelId, request.onTextDelta);
			// The SDK ends the stream quietly when aborted; the catch below reports that as a cancellation.
			if (!result.complete) throw streamCutOffFailure(label);
			return result.usageReported ? result.response : { ...result.response, usage: estimateUsage(request, result.response.message) };
		} catch (error) {
			if (limit.timedOut()) throw timeoutFailure(label, options.timeoutMs, error);
			throw toAnthropicFailure(sdk, label, error, { signal: limit.signal, nowMs: Date.now() });
		}
	};

	return { provider: 'anthropic', modelId: options.modelId, supportsStructuredOutput: true, generate };
};
