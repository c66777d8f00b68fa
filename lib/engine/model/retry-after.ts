/** Reads one response header by name (case-insensitive), whatever shape the SDK keeps headers in. */
export type HeaderReader = (name: string) => string | null | undefined;

/** Builds a `HeaderReader` over a `Headers` object or a plain record, as the two SDKs expose them. */
export const headerReader = (headers: Headers | Record<string, string | undefined> | undefined): HeaderReader => {
	if (headers === undefined) return () => undefined;
	if (typeof (headers as Headers).get === 'function') return (name) => (headers as Headers).get(name);
	const byLowerName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
	return (name) => byLowerName.get(name.toLowerCase());
};

/**
 * How long the provider asked us to wait, in milliseconds, or undefined when it did not say.
 * `retry-after-ms` (OpenAI, Anthropic) is more precise than `retry-after`, which is either seconds
 * or an HTTP date; the date is measured against `nowMs`.
 */
export const parseRetryAfterMs = (readHeader: HeaderReader, nowMs: number): number | undefined => {
	const milliseconds = Number.parseFloat(readHeader('retry-after-ms') ?? '');
	if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;

	const retryAfter = readHeader('retry-after')?.trim();
	if (!retryAfter) return undefined;
	if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number.parseFloat(retryAfter) * 1000;
	const date = Date.parse(retryAfter);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
};

/** A wait as the workflow author reads it in an error message, rounded up to whole seconds. */
export const formatSeconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;
