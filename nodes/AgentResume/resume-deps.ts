import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The clock, id source and timing of the Resume node, injected so tests can pin them. */
export type ResumeDeps = {
	now(): Date;
	newId(): string;
	/**
	 * After the last decision, how long the thank-you page watches for the run to pause again
	 * (or end) before it stops, and how often it looks.
	 */
	afterDecisionWatch: { timeoutMs: number; intervalMs: number };
	sleep(milliseconds: number): Promise<void>;
};

export const systemResumeDeps: ResumeDeps = {
	now: () => new Date(),
	newId: () => randomUUID(),
	afterDecisionWatch: { timeoutMs: 20_000, intervalMs: 250 },
	sleep: async (milliseconds) => await sleep(milliseconds),
};
