import { z } from 'zod/v4';

import type { Tool } from '../tools/tool';
import { toolInputSchema } from '../tools/builtin/tool-input-schema';
import { formatEntry } from './format-entry';
import type { MemoryAccess } from './memory-access';
import { rankEntries, tokenize } from './rank-entries';

const recallInput = z.object({
	query: z.string().min(1).max(500).describe('A few specific words to look for: a name, a product, an error message, a topic.'),
	limit: z.number().int().min(1).max(20).default(5).describe('Most entries to return.'),
});

/** `recall`: searches every readable entry of the scope, not only those that fitted in the prompt. */
export function createRecallTool(access: MemoryAccess): Tool {
	return {
		name: 'recall',
		description:
			'Search long-term memory from earlier runs (facts, lessons and short summaries of past runs) for entries that share words with the query. ' +
			'The most relevant entries are already in the system prompt; use this to look for others. Returns each match with its kind, date, importance and id.',
		inputSchema: toolInputSchema(recallInput),
		concurrencySafe: true,
		readOnly: true,
		async execute(input) {
			const { query, limit } = recallInput.parse(input);
			if (tokenize(query).length === 0) {
				return `The query ${JSON.stringify(query)} has no words to search for. Use specific words, e.g. a name or a topic.`;
			}
			const entries = await access.entries();
			const matches = rankEntries(entries, query, access.now()).filter((ranked) => ranked.relevance > 0);
			if (matches.length === 0) {
				return `No memory entries match ${JSON.stringify(query)} (${entries.length} searched). Try other words, or continue without memory.`;
			}
			const shown = matches.slice(0, limit);
			return [`${shown.length} of ${matches.length} matching memory entries, best first:`, ...shown.map(({ entry }) => formatEntry(entry))].join('\n');
		},
	};
}
