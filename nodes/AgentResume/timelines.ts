import { readRunTimeline, type AuthorizedWait, type RunTimeline } from '../../lib/resume';
import { UnreadableObjectError } from '../../lib/storage';

/**
 * Each paused item's run so far, in wait order, for the approval page. A transcript that cannot be
 * read costs the page its timeline, never the decision: that item shows none.
 */
export async function readTimelines({ storage, wait }: AuthorizedWait): Promise<Array<RunTimeline | undefined>> {
	return await Promise.all(
		wait.items.map(async ({ reference }) =>
			await readRunTimeline(storage, reference).catch(async (error: unknown) => (error instanceof UnreadableObjectError ? undefined : await Promise.reject(error))),
		),
	);
}
