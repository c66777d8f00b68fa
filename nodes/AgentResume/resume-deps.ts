import { randomUUID } from 'node:crypto';

/** The clock and id source of the Resume node, injected so tests can pin them. */
export type ResumeDeps = {
	now(): Date;
	newId(): string;
};

export const systemResumeDeps: ResumeDeps = {
	now: () => new Date(),
	newId: () => randomUUID(),
};
