import type { AssistantMessage, Message } from '../model/messages';

/**
 * The answer with every tool-call id unique within the conversation. Models repeat ids: two calls
 * of one turn under one id, or `call_0` again on every turn (some OpenAI-compatible servers). Paired
 * by id, both results would reach the model under one call, and the journal would take the second
 * call for the first. A repeated id gets a suffix (`id_2`, `id_3`…); the renamed message is the one
 * the run keeps, so results, replays and the journal all use the new id.
 */
export function withUniqueToolCallIds(answer: AssistantMessage, earlier: readonly Message[]): AssistantMessage {
	const taken = new Set<string>();
	for (const message of earlier) {
		if (message.role !== 'assistant') continue;
		for (const part of message.content) if (part.type === 'tool-call') taken.add(part.toolCallId);
	}
	let renamed = false;
	const content = answer.content.map((part) => {
		if (part.type !== 'tool-call') return part;
		let id = part.toolCallId;
		for (let suffix = 2; taken.has(id); suffix++) id = `${part.toolCallId}_${suffix}`;
		taken.add(id);
		if (id === part.toolCallId) return part;
		renamed = true;
		return { ...part, toolCallId: id };
	});
	return renamed ? { ...answer, content } : answer;
}
