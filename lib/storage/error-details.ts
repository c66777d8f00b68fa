/**
 * Reading fields of caught errors by shape, not `instanceof`: Node's own errors can come from another
 * realm (jest's sandbox, worker threads) and SDKs sometimes wrap them, so class checks are unreliable.
 */

/** The `code` of a Node system error (`ENOENT`, `EACCES`…), if there is one. */
export function errorCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
	return typeof error.code === 'string' ? error.code : undefined;
}

/** The error's message, or the value itself as text. */
export function errorMessage(error: unknown): string {
	if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
	return String(error);
}
