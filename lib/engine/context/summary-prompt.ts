import type { Message, TextPart } from '../model/messages';

/** The system prompt of the summarising call. */
export const summaryInstructions = [
	"You summarise the earlier part of an AI agent's working conversation so the agent can continue its task with less context.",
	'The summary replaces those turns: the agent will see only your summary and the turns after it.',
	'Keep the task and every requirement or constraint the user gave; facts, figures, names, ids, URLs and file names that tool calls returned and that may still matter;',
	'decisions made and why; what was tried and failed; and what remains to do.',
	'When a previous summary is given, merge it and the new turns into one summary.',
	'Leave out pleasantries and repetition, invent nothing, and write plain text of at most about 600 words.',
].join(' ');

/**
 * The one user message of the summarising call: the previous summary, if any, and the turns to
 * fold in, written out as text. As text, tool calls and results need no pairing and no tool
 * definitions, so any provider takes it.
 */
export function summaryRequestMessage(previousSummary: string | undefined, turns: readonly Message[]): { role: 'user'; content: TextPart[] } {
	const sections = [
		...(previousSummary === undefined ? [] : [`<previous-summary>\n${previousSummary}\n</previous-summary>`]),
		`<conversation>\n${turns.map(messageAsText).join('\n\n')}\n</conversation>`,
		previousSummary === undefined ? 'Write the summary.' : 'Write the updated summary.',
	];
	return { role: 'user', content: [{ type: 'text', text: sections.join('\n\n') }] };
}

function messageAsText(message: Message): string {
	const lines: string[] = [];
	for (const part of message.content) {
		switch (part.type) {
			case 'text':
				if (part.text.trim() !== '') lines.push(`[${message.role}]: ${part.text}`);
				break;
			case 'tool-call':
				lines.push(`[assistant called ${part.toolName}, call ${part.toolCallId}]: ${typeof part.input === 'string' ? part.input : (JSON.stringify(part.input) ?? '')}`);
				break;
			case 'tool-result':
				lines.push(`[${part.isError ? 'error from' : 'result of'} ${part.toolName}, call ${part.toolCallId}]: ${part.output}`);
				break;
			case 'file':
				// The summary is text: the file is named, and the turns kept after the summary still carry their files.
				lines.push(`[${message.role} sent the file ${part.name ?? part.ref} (${part.mediaType})]`);
				break;
			case 'reasoning':
				// The agent's private reasoning led to the calls and text kept above; the summary needs those, not it.
				break;
		}
	}
	return lines.join('\n');
}
