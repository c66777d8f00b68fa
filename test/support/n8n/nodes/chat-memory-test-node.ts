import { InMemoryChatMessageHistory } from '@langchain/core/chat_history';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Every session's history, by session id, outliving executions as n8n's Simple Memory does. */
export const chatSessions = new Map<string, InMemoryChatMessageHistory>();

/**
 * A Memory sub-node built like n8n's Simple Memory: `supplyData` returns a window memory over the
 * session's LangChain chat history (`loadMemoryVariables` gives the last `k` exchanges as messages,
 * `saveContext` appends the user's input and the AI's output).
 */
export class ChatMemoryTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat Memory (test)',
		name: 'chatMemoryTest',
		group: ['transform'],
		version: 1,
		description: 'A window memory per session',
		defaults: { name: 'Chat Memory' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiMemory],
		outputNames: ['Memory'],
		properties: [
			{ displayName: 'Session ID', name: 'sessionId', type: 'string', default: '={{ $json.sessionId }}' },
			{ displayName: 'Context Window Length', name: 'k', type: 'number', default: 5 },
		],
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const sessionId = String(this.getNodeParameter('sessionId', itemIndex));
		const k = this.getNodeParameter('k', itemIndex) as number;
		const history = chatSessions.get(sessionId) ?? new InMemoryChatMessageHistory();
		chatSessions.set(sessionId, history);
		const memory = {
			memoryKey: 'chat_history',
			chatHistory: history,
			async loadMemoryVariables(): Promise<{ chat_history: BaseMessage[] }> {
				const messages = await history.getMessages();
				return { chat_history: messages.slice(-k * 2) };
			},
			async saveContext(input: { input: string }, output: { output: string }): Promise<void> {
				await history.addMessages([new HumanMessage(input.input), new AIMessage(output.output)]);
			},
		};
		return { response: memory };
	}
}
