import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { LanguageModel } from '../../../lib/engine';
import { canCallTools, createConnectedChatModel } from './connected-chat-model';
import { isLangChainChatModel } from './langchain-shapes';

/**
 * The chat model of the Chat Model sub-node connected to this node, as the engine's model. Fails the
 * item before any model call when nothing usable is connected, or when the run offers tools the
 * model cannot call.
 */
export async function connectedChatModel(context: IExecuteFunctions, itemIndex: number, toolCount: number): Promise<{ model: LanguageModel; modelName: string }> {
	const fail = (message: string, description: string) => new NodeOperationError(context.getNode(), message, { itemIndex, description });
	const supplied = (await context.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, itemIndex)) as unknown;
	const chatModel = Array.isArray(supplied) ? supplied[0] : supplied;
	if (!isLangChainChatModel(chatModel)) {
		throw fail('No chat model is connected', "Connect a Chat Model sub-node (e.g. OpenAI Chat Model, Anthropic Chat Model, Ollama Chat Model) to the node's Chat Model input, or choose a built-in Provider.");
	}
	const [subNode] = context.getParentNodes(context.getNode().name, { connectionType: NodeConnectionTypes.AiLanguageModel, depth: 1 });
	const identity = { nodeType: subNode?.type ?? 'unknown', nodeName: subNode?.name ?? 'Chat Model' };
	if (toolCount > 0 && !canCallTools(chatModel)) {
		throw fail(`The chat model of "${identity.nodeName}" cannot call tools`, `This run offers ${toolCount} tool(s). Connect a chat model that supports tool calling, or remove the tools and built-in tools.`);
	}
	const model = createConnectedChatModel(chatModel, identity);
	return { model, modelName: model.modelId.slice(identity.nodeType.length + 1) };
}
