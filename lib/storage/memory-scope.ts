/**
 * Whose long-term memory a run reads and writes: one workflow's ("This Workflow"), or a key the
 * workflow author chose (shared by every workflow that uses the same key). The two kinds live in
 * separate folders, so no custom key can name — and read or write — a workflow's memory.
 */
export type MemoryScope = { kind: 'workflow'; workflowId: string } | { kind: 'key'; key: string };

/** How people see a scope in items and messages: `workflow:42`, `key:customer-7`. */
export function memoryScopeLabel(scope: MemoryScope): string {
	return scope.kind === 'workflow' ? `workflow:${scope.workflowId}` : `key:${scope.key}`;
}

/**
 * A custom key as stored: trimmed and in Unicode NFC, so the same key typed or produced twice
 * (composed or decomposed accents, stray spaces) always names the same scope.
 */
export function normalizedScopeKey(key: string): string {
	return key.normalize('NFC').trim();
}
