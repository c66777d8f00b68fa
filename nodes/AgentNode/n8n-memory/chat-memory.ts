import type { ConversationMemory, Message } from '../../../lib/engine';

/**
 * The parts of a LangChain memory this package uses, as n8n's Memory sub-nodes supply it (Simple
 * Memory, Postgres, Redis, MongoDB… Chat Memory: a `BufferWindowMemory` over the session's chat
 * history, wrapped so n8n logs its calls). Read by shape: the objects come from n8n's LangChain.
 */
export type LangChainMemory = {
	loadMemoryVariables(values: Record<string, unknown>): Promise<Record<string, unknown>>;
	saveContext(input: Record<string, unknown>, output: Record<string, unknown>): Promise<void>;
	memoryKey?: unknown;
};

/** One LangChain message, read by shape (`HumanMessage`, `AIMessage`, `ToolMessage`, `SystemMessage`). */
type StoredMessage = { content?: unknown; tool_calls?: unknown[]; _getType?(): string; getType?(): string; type?: unknown };

export function isLangChainMemory(value: unknown): value is LangChainMemory {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { loadMemoryVariables?: unknown }).loadMemoryVariables === 'function' &&
		typeof (value as { saveContext?: unknown }).saveContext === 'function'
	);
}

/**
 * The session's earlier messages as the engine's conversation: what the user said and what the
 * agent answered, in order. Tool calls and results stay out — a window over a session can cut a
 * tool exchange in half, and providers refuse a result without its call — and so do system
 * messages (the node's instructions are the system prompt). The history starts with the user and
 * ends with an answer, as a conversation before a new task must.
 */
export async function readChatHistory(memory: LangChainMemory): Promise<Message[]> {
	const variables = await memory.loadMemoryVariables({});
	const key = typeof memory.memoryKey === 'string' ? memory.memoryKey : 'chat_history';
	const stored = variables[key];
	if (!Array.isArray(stored)) return [];
	const turns: Message[] = [];
	for (const message of stored as StoredMessage[]) {
		const role = roleOf(message);
		const text = textOf(message.content).trim();
		if (role === undefined || text === '') continue;
		const last = turns[turns.length - 1];
		if (last?.role === role) {
			// Two answers (or two questions) in a row: one turn, so roles alternate as providers require.
			const part = last.content[0];
			if (part?.type === 'text') part.text = `${part.text}\n\n${text}`;
			continue;
		}
		turns.push(role === 'user' ? { role: 'user', content: [{ type: 'text', text }] } : { role: 'assistant', content: [{ type: 'text', text }] });
	}
	while (turns[0]?.role === 'assistant') turns.shift();
	if (turns[turns.length - 1]?.role === 'user') turns.pop();
	return turns;
}

/** Saves a completed run's exchange in the session: the task as the user's message, the answer as the AI's. */
export function conversationOf(memory: LangChainMemory): ConversationMemory {
	return {
		async saveExchange(task, answer) {
			await memory.saveContext({ input: task }, { output: answer });
		},
	};
}

function roleOf(message: StoredMessage): 'user' | 'assistant' | undefined {
	const type = typeof message._getType === 'function' ? message._getType() : typeof message.getType === 'function' ? message.getType() : message.type;
	if (type === 'human' || type === 'user') return 'user';
	if (type === 'ai' || type === 'assistant') return 'assistant';
	return undefined;
}

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((block: unknown) => (typeof block === 'string' ? block : typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text' ? String((block as { text?: unknown }).text ?? '') : ''))
		.join('');
}
