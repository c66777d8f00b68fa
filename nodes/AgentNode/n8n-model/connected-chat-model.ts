import { estimateUsage, ModelCallError, type LanguageModel, type ModelRequest, type ModelResponse, type ProviderLabel } from '../../../lib/engine';
import { readAIMessage } from './ai-message';
import { toConnectedModelFailure } from './chat-model-errors';
import { toLangChainMessages, toLangChainTools } from './langchain-messages';
import type { LangChainChatModel } from './langchain-shapes';

/** Which sub-node supplies the model: it names the model in messages and in the paused run's definition. */
export type ConnectedModelIdentity = {
	/** The sub-node's type, e.g. `@n8n/n8n-nodes-langchain.lmChatOpenAi`. */
	nodeType: string;
	/** The sub-node's name on the canvas, e.g. "OpenAI Chat Model". */
	nodeName: string;
};

/**
 * The engine's model port on a LangChain chat model from a Chat Model sub-node (OpenAI, Anthropic,
 * Gemini, Bedrock, Ollama, Mistral, Groq…). Each call goes through the sub-node's own model object,
 * so n8n shows it as a run of that sub-node with its tokens, and the sub-node's credential, base
 * URL and options apply. Tools are bound per call; JSON output is asked for in the instructions
 * and held to the schema by validation and repair turns (models differ too much in how, or
 * whether, they enforce a schema). Without a reported usage, usage is estimated and marked.
 */
export function createConnectedChatModel(chatModel: LangChainChatModel, identity: ConnectedModelIdentity, now: () => number = Date.now): LanguageModel {
	const modelName = nameOf(chatModel);
	const fileBlocks = chatModel._llmType?.() === 'anthropic' ? 'anthropic' : 'openai';
	const label: ProviderLabel = {
		serviceName: `chat model of "${identity.nodeName}"`,
		credentialName: `"${identity.nodeName}" sub-node's`,
		baseUrl: `the provider of "${identity.nodeName}"`,
		modelId: modelName,
	};
	return {
		provider: 'connected',
		modelId: `${identity.nodeType}:${modelName}`,
		supportsStructuredOutput: false,
		async generate(request: ModelRequest): Promise<ModelResponse> {
			const runnable = request.tools.length === 0 ? chatModel : bindTools(chatModel, request, identity);
			let answer;
			try {
				answer = await runnable.invoke(toLangChainMessages(request.system, request.messages, fileBlocks), { signal: request.signal });
			} catch (error) {
				throw toConnectedModelFailure(label, error, { signal: request.signal, nowMs: now() });
			}
			const read = readAIMessage(answer);
			// LangChain's streams differ per provider class; a connected model's answer reaches a chat whole, turn by turn.
			const text = read.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
			if (text !== '') request.onTextDelta?.(text);
			return {
				message: read.message,
				stopReason: read.stopReason,
				...(read.stopDetails === undefined ? {} : { stopDetails: read.stopDetails }),
				usage: read.usage ?? estimateUsage(request, read.message),
				modelId: read.modelId ?? modelName,
			};
		},
	};
}

function bindTools(chatModel: LangChainChatModel, request: ModelRequest, identity: ConnectedModelIdentity) {
	if (!canCallTools(chatModel)) {
		throw new ModelCallError('bad-request', `The chat model of "${identity.nodeName}" cannot call tools, and this run offers ${request.tools.length}. Connect a chat model that supports tool calling, or remove the tools.`, { retryable: false });
	}
	return chatModel.bindTools(toLangChainTools(request.tools));
}

/** Whether the model can be given tools: the node checks this before a run that offers any. */
export function canCallTools(chatModel: LangChainChatModel): chatModel is LangChainChatModel & Required<Pick<LangChainChatModel, 'bindTools'>> {
	return typeof chatModel.bindTools === 'function';
}

/** The model name the sub-node was configured with (`model` on most LangChain classes, `modelName` on older ones). */
function nameOf(chatModel: LangChainChatModel): string {
	for (const candidate of [chatModel.model, chatModel.modelName]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
	}
	return typeof chatModel._llmType === 'function' ? chatModel._llmType() : 'unknown-model';
}
