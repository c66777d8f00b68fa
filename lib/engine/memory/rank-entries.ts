import type { MemoryEntry } from './memory-entry';

/** An entry with how well it matches the text it was ranked against. */
export type RankedEntry = {
	entry: MemoryEntry;
	/** Lexical match with the task or query, 0 (no shared word) to 1 (the best match among the entries). */
	relevance: number;
	/** Relevance mixed with importance and recency; higher is better. */
	score: number;
};

/** BM25's usual constants: term-frequency saturation and document-length normalisation. */
const termSaturation = 1.2;
const lengthNormalisation = 0.75;
/** Relevance dominates; importance and recency decide between entries that match equally well. */
const weights = { relevance: 0.6, importance: 0.3, recency: 0.1 };
/** An entry this many days old counts half as recent as a new one. */
const recencyHalfLifeDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

/** Words too common to say anything about relevance. */
const stopWords = new Set(
	(
		'a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my no not of on or our ' +
		'so than that the their them then there these they this to was we were what when where which who why will with you your'
	).split(' '),
);

/**
 * Lower-cased words and numbers of any script, without stop words; a plural `s` is dropped so
 * "invoices" finds "invoice". Deliberately simple: no language model, no extra dependency.
 */
export function tokenize(text: string): string[] {
	const words = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
	return words.filter((word) => word.length > 1 && !stopWords.has(word)).map(withoutPluralS);
}

function withoutPluralS(word: string): string {
	return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/**
 * Ranks entries against `text` (the task, or a `recall` query): BM25 over each entry's content and
 * tags, normalised to the best match, mixed with importance and an exponential recency decay.
 * Best first; ties keep the input order (newest first).
 */
export function rankEntries(entries: readonly MemoryEntry[], text: string, now: number): RankedEntry[] {
	const queryTerms = [...new Set(tokenize(text))];
	const documents = entries.map((entry) => tokenize(`${entry.content} ${entry.tags.join(' ')}`));
	const bm25 = bm25Scores(documents, queryTerms);
	const best = Math.max(0, ...bm25);
	const ranked = entries.map((entry, index): RankedEntry => {
		const relevance = best > 0 ? bm25[index] / best : 0;
		const score = weights.relevance * relevance + weights.importance * importanceScore(entry) + weights.recency * recencyScore(entry, now);
		return { entry, relevance, score };
	});
	// Array sort is stable, so equal scores stay newest first.
	return ranked.sort((left, right) => right.score - left.score);
}

function bm25Scores(documents: readonly string[][], queryTerms: readonly string[]): number[] {
	if (documents.length === 0 || queryTerms.length === 0) return documents.map(() => 0);
	const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / documents.length || 1;
	const documentFrequency = new Map<string, number>();
	for (const document of documents) {
		for (const term of new Set(document)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
	}
	return documents.map((document) => {
		const termCounts = new Map<string, number>();
		for (const term of document) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
		let score = 0;
		for (const term of queryTerms) {
			const count = termCounts.get(term) ?? 0;
			if (count === 0) continue;
			const frequency = documentFrequency.get(term) ?? 0;
			const inverseFrequency = Math.log(1 + (documents.length - frequency + 0.5) / (frequency + 0.5));
			const lengthFactor = 1 - lengthNormalisation + (lengthNormalisation * document.length) / averageLength;
			score += (inverseFrequency * count * (termSaturation + 1)) / (count + termSaturation * lengthFactor);
		}
		return score;
	});
}

function importanceScore(entry: MemoryEntry): number {
	return (entry.importance - 1) / 4;
}

function recencyScore(entry: MemoryEntry, now: number): number {
	const ageDays = Math.max(0, now - Date.parse(entry.createdAt)) / dayMs;
	return 0.5 ** (ageDays / recencyHalfLifeDays);
}
