import type { EngineDeps, RunStore } from '../agent-spec';

/** How long a running run's record stays valid without a heartbeat, unless the deps say otherwise. */
export const defaultRunLeaseMs = 60_000;

export type RunLease = {
	/** The run's store, with every run record written through the lease. */
	store: RunStore;
	/** Stops the heartbeat; records already queued are still written, in order. */
	dispose(): void;
};

/**
 * Keeps a running run's record fresh, so that a run whose process died can be told from one that
 * is still working. While the last record written says `running`, it carries `leaseExpiresAt`
 * and is rewritten every third of the lease. A process that is killed stops rewriting it, and
 * once the time has passed, readers know the run was interrupted (see run-record.ts).
 *
 * Records are written one at a time, in the order the run asked for them: a heartbeat can never
 * land after the `done`, `paused` or `failed` record that ended the running phase.
 */
export function leaseRunRecords(deps: Pick<EngineDeps, 'store' | 'now' | 'runLeaseMs'>): RunLease {
	const leaseMs = deps.runLeaseMs ?? defaultRunLeaseMs;
	let running: Record<string, unknown> | undefined;
	let queue: Promise<void> = Promise.resolve();
	let timer: NodeJS.Timeout | undefined;
	let disposed = false;

	const leased = (record: Record<string, unknown>) => ({ ...record, leaseExpiresAt: new Date(deps.now() + leaseMs).toISOString() });
	const enqueue = (write: () => Promise<void>): Promise<void> => {
		const written = queue.then(write);
		// The queue goes on after a failed write; the caller of that write sees the failure.
		queue = written.catch(() => undefined);
		return written;
	};
	const scheduleHeartbeat = () => {
		if (timer) clearTimeout(timer);
		timer = undefined;
		if (disposed || running === undefined) return;
		timer = setTimeout(beat, Math.max(1, Math.floor(leaseMs / 3)));
		timer.unref?.();
	};
	function beat(): void {
		timer = undefined;
		const record = running;
		if (disposed || record === undefined) return;
		// A missed heartbeat is not the run's failure: the next one, or the run's own next record, renews the lease.
		void enqueue(async () => {
			if (running === record && !disposed) await deps.store.writeRunRecord(leased(record));
		})
			.catch(() => undefined)
			.finally(scheduleHeartbeat);
	}

	return {
		store: {
			...deps.store,
			async writeRunRecord(record: unknown): Promise<void> {
				const fields = record as Record<string, unknown>;
				const isRunning = fields.status === 'running';
				running = isRunning ? fields : undefined;
				const body = isRunning ? leased(fields) : record;
				const written = enqueue(() => deps.store.writeRunRecord(body));
				scheduleHeartbeat();
				await written;
			},
		},
		dispose() {
			disposed = true;
			if (timer) clearTimeout(timer);
			timer = undefined;
		},
	};
}
