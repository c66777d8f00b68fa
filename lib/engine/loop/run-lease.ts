import type { EngineDeps } from '../agent-spec';
import type { RunRecord } from '../run-record';
import type { RunStore } from '../run-store';
import { withFaultPoints } from '../fault-points';

/** How long a running run's record stays valid without a heartbeat, unless the deps say otherwise. */
export const defaultRunLeaseMs = 60_000;

export type RunLease = {
	/** The run's store, with every run record written through the lease. */
	store: RunStore;
	/** Where the run stands (turns, usage): each heartbeat writes it into the record, so a long run shows its progress. */
	trackProgress(progress: () => Pick<RunRecord, 'turns' | 'usage'>): void;
	/** Stops the heartbeat; records already queued are still written, in order. */
	dispose(): void;
};

/**
 * Keeps a running run's record fresh, so that a run whose process died can be told from one that
 * is still working. While the last record written says `running`, it carries `leaseExpiresAt`
 * and is rewritten every third of the lease. A process that is killed stops rewriting it, and
 * once the time has passed, readers know the run was interrupted (see run-record.ts) and another
 * execution may continue it.
 *
 * The run fences itself, so that a process that is alive but could not renew its lease (storage
 * failing, an event loop blocked for long) never works on beside such a recovery: once less than a
 * third of the last lease it stored is left, every further write that would record progress (a
 * tool call's intent, a turn, a record, a snapshot) throws RunLeaseLostError instead, before any
 * more tools run. The third is also the clock difference between hosts the lease tolerates.
 *
 * Records are written one at a time, in the order the run asked for them: a heartbeat can never
 * land after the `done`, `paused` or `failed` record that ended the running phase.
 */
export function leaseRunRecords(deps: Pick<EngineDeps, 'store' | 'now' | 'runLeaseMs' | 'faults'>): RunLease {
	const store = withFaultPoints(deps.store, deps.faults);
	const leaseMs = deps.runLeaseMs ?? defaultRunLeaseMs;
	const fenceMs = leaseMs / 3;
	let running: RunRecord | undefined;
	/** When the lease in the last running record that was stored runs out. */
	let storedLeaseEnd: number | undefined;
	let queue: Promise<void> = Promise.resolve();
	let timer: NodeJS.Timeout | undefined;
	let disposed = false;
	let progress: (() => Pick<RunRecord, 'turns' | 'usage'>) | undefined;

	const writeLeased = async (record: RunRecord) => {
		const leaseExpiresAt = new Date(deps.now() + leaseMs).toISOString();
		await store.writeRunRecord({ ...record, leaseExpiresAt });
		storedLeaseEnd = Date.parse(leaseExpiresAt);
	};
	const assertLeaseHeld = () => {
		if (running === undefined || storedLeaseEnd === undefined || deps.now() < storedLeaseEnd - fenceMs) return;
		throw new RunLeaseLostError(new Date(storedLeaseEnd).toISOString());
	};
	const fenced =
		<Args extends unknown[], Result>(write: (...args: Args) => Promise<Result>) =>
		async (...args: Args): Promise<Result> => {
			assertLeaseHeld();
			return await write(...args);
		};
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
			if (running === record && !disposed) await writeLeased({ ...record, ...progress?.() });
		})
			.catch(() => undefined)
			.finally(scheduleHeartbeat);
	}

	return {
		store: {
			...store,
			appendTurn: fenced(store.appendTurn.bind(store)),
			writeSnapshot: fenced(store.writeSnapshot.bind(store)),
			journal: { ...store.journal, recordIntent: fenced(store.journal.recordIntent.bind(store.journal)) },
			async writeRunRecord(record: RunRecord): Promise<void> {
				assertLeaseHeld();
				const isRunning = record.status === 'running';
				running = isRunning ? record : undefined;
				const written = enqueue(() => (isRunning ? writeLeased(record) : store.writeRunRecord(record)));
				scheduleHeartbeat();
				await written;
			},
		},
		trackProgress(report) {
			progress = report;
		},
		dispose() {
			disposed = true;
			if (timer) clearTimeout(timer);
			timer = undefined;
		},
	};
}

/** The run could not renew its lease in time and stopped, because another execution may now continue it. */
export class RunLeaseLostError extends Error {
	constructor(leaseEnd: string) {
		super(
			`This run stopped: it could not renew the lease on its run record (it ends ${leaseEnd}), so another execution may continue it now, and it does nothing more. ` +
				'Check that storage is reachable; the run record and transcript show where it stopped.',
		);
		this.name = 'RunLeaseLostError';
	}
}
