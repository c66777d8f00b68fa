import { readDecisionRecord } from './decision-records';
import { pausedItemSchema, type PausedItemJson } from './pause-contract';
import type { ResumeStorage } from './resume-storage';

/**
 * The pauses among `candidates` (anything: items a node emitted earlier) that no decision was
 * recorded for yet, one paused item per pause (the last copy), in first-seen order.
 */
export async function openPausesOf(storage: ResumeStorage, candidates: readonly unknown[]): Promise<PausedItemJson[]> {
	const byPause = new Map<string, PausedItemJson>();
	for (const candidate of candidates) {
		const parsed = pausedItemSchema.safeParse(candidate);
		if (parsed.success) byPause.set(parsed.data.reference.pauseId, parsed.data);
	}
	const items = [...byPause.values()];
	const decided = await Promise.all(items.map(async (item) => (await readDecisionRecord(storage, item.reference)) !== undefined));
	return items.filter((_item, index) => !decided[index]);
}
