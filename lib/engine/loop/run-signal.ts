import type { EngineDeps } from '../agent-spec';
import type { StopCause } from './failures';

export type RunSignal = {
	/** Aborted on timeout or cancellation; passed to every model call and tool. */
	signal: AbortSignal;
	/** Why the signal fired, once it has. */
	cause(): StopCause | undefined;
	/** When the timeout fires (epoch ms), so a model call does not start a wait it cannot finish. */
	deadlineMs?: number;
	dispose(): void;
};

/** One abort signal for the run that remembers whether the timeout or n8n's cancellation fired first. */
export function createRunSignal(timeoutMs: number | undefined, deps: Pick<EngineDeps, 'signal' | 'now'>): RunSignal {
	const controller = new AbortController();
	let cause: StopCause | undefined;
	const stop = (reason: StopCause) => {
		if (cause) return;
		cause = reason;
		controller.abort(new Error(reason));
	};
	const onCancel = () => stop('cancelled');
	if (deps.signal?.aborted) onCancel();
	deps.signal?.addEventListener('abort', onCancel, { once: true });
	const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), timeoutMs);
	timer?.unref?.();
	return {
		signal: controller.signal,
		cause: () => cause,
		deadlineMs: timeoutMs === undefined ? undefined : deps.now() + timeoutMs,
		dispose: () => {
			if (timer) clearTimeout(timer);
			deps.signal?.removeEventListener('abort', onCancel);
		},
	};
}
