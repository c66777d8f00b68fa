/**
 * A new entry id: the creation time first (`20250102T030405123Z`), then a random part, so sorting
 * ids — and the storage keys built from them — sorts entries oldest to newest on every store.
 */
export function newEntryId(now: number, randomId: string): string {
	const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
	const suffix = randomId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
	return `${stamp}-${suffix === '' ? 'entry' : suffix}`;
}
