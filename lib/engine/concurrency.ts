/**
 * Maps `items` with at most `limit` calls of `task` in flight; results keep the input order.
 * A task that throws rejects the whole map, like Promise.all, after in-flight tasks settle.
 */
export async function mapWithConcurrency<Item, Result>(
	items: readonly Item[],
	limit: number,
	task: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
	const results = new Array<Result>(items.length);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index], index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
	const settled = await Promise.allSettled(workers);
	const failure = settled.find((outcome) => outcome.status === 'rejected');
	if (failure) throw (failure as PromiseRejectedResult).reason;
	return results;
}
