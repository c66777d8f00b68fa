import { z } from 'zod/v4';

import type { Tool } from '../tools/tool';
import { toolInputSchema } from '../tools/builtin/tool-input-schema';
import { newEntryId } from './entry-id';
import type { MemoryAccess } from './memory-access';
import { maxEntryContentCharacters, memoryContentIdentity, type MemoryEntry } from './memory-entry';

const rememberInput = z.object({
	content: z
		.string()
		.max(maxEntryContentCharacters)
		.regex(/\S/, 'must contain text')
		.describe('The fact or lesson, self-contained: a later run will read it without today’s conversation.'),
	kind: z
		.enum(['fact', 'lesson'])
		.default('fact')
		.describe("'fact': something true about a person, a system or the world. 'lesson': how to do the work better next time."),
	importance: z.number().int().min(1).max(5).default(3).describe('1 = nice to know, 3 = useful, 5 = must never be forgotten.'),
	tags: z.array(z.string().min(1).max(50)).max(10).optional().describe('A few keywords that help find the entry later.'),
});

/**
 * `remember`: stores one fact or lesson as a new object. The same content stored again is not
 * duplicated, since agents tend to re-learn the same fact on every run: the run's listing answers
 * most repeats without a write, and the store's one-time content claim settles runs that store
 * the same text at the same time.
 */
export function createRememberTool(access: MemoryAccess): Tool {
	return {
		name: 'remember',
		description:
			'Store a fact or lesson in long-term memory so that later runs can use it. Keep each entry short and specific; ' +
			'store what will still be true and useful later, not the details of this task.',
		inputSchema: toolInputSchema(rememberInput),
		concurrencySafe: true,
		async execute(input) {
			const { content, kind, importance, tags } = rememberInput.parse(input);
			const text = content.trim();
			const identity = memoryContentIdentity(text);
			const existing = (await access.entries()).find((entry) => entry.kind !== 'episode' && memoryContentIdentity(entry.content) === identity);
			if (existing !== undefined) return `Already remembered as ${existing.id}; nothing new was stored.`;
			const now = access.now();
			const entry: MemoryEntry = {
				id: newEntryId(now, access.newId()),
				kind,
				content: text,
				importance,
				tags: [...new Set((tags ?? []).map((tag) => tag.trim()).filter((tag) => tag !== ''))],
				createdAt: new Date(now).toISOString(),
			};
			const written = await access.add(entry);
			if (!written.stored) return `Already remembered as ${written.existingId}; nothing new was stored.`;
			return `Remembered as ${kind} ${entry.id}.`;
		},
	};
}
