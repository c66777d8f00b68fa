/**
 * JSON text with object keys sorted at every level, so two values that mean the same (keys in
 * another order) give the same text: what "same arguments" and "equal answers" compare.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortedKeys(value)) ?? 'undefined';
}

function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (value === null || typeof value !== 'object') return value;
	const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return Object.fromEntries(entries.map(([key, entry]) => [key, sortedKeys(entry)]));
}
