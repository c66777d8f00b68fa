import type { MemoryEntry } from './memory-entry';

/**
 * One entry as the model reads it, on one line: kind, day, importance and id first, so the model can
 * weigh the entry and a person reading the transcript can find it to delete it.
 */
export function formatEntry(entry: MemoryEntry): string {
	const tags = entry.tags.length > 0 ? ` · tags ${entry.tags.join(', ')}` : '';
	return `- [${entry.kind} · ${entry.createdAt.slice(0, 10)} · importance ${entry.importance}${tags} · id ${entry.id}] ${oneLine(entry.content)}`;
}

/** Whitespace (newlines included) collapsed to single spaces. */
export function oneLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/** `text` on one line, cut to at most `maxCharacters` with an ellipsis. */
export function excerpt(text: string, maxCharacters: number): string {
	const line = oneLine(text);
	return line.length <= maxCharacters ? line : `${line.slice(0, maxCharacters - 1).trimEnd()}…`;
}

/** The usual rough estimate of tokens for English text and code: about four characters each. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}
