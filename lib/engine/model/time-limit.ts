/** The signal one model call runs under: the caller's, plus the adapter's own time limit when it has one. */
export type TimeLimitedSignal = {
	signal: AbortSignal;
	/** True when the call was aborted by the time limit rather than by the caller. */
	timedOut(): boolean;
};

/**
 * SDK timeouts only cover the wait for response headers; a stream that stalls after them would hang
 * the run. This limit covers the whole call, streaming included.
 */
export const timeLimitedSignal = (callerSignal: AbortSignal, timeoutMs: number | undefined): TimeLimitedSignal => {
	if (timeoutMs === undefined) return { signal: callerSignal, timedOut: () => false };
	const timeout = AbortSignal.timeout(timeoutMs);
	return { signal: AbortSignal.any([callerSignal, timeout]), timedOut: () => timeout.aborted && !callerSignal.aborted };
};
