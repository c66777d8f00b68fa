/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
	if (values.length === 0) throw new Error('median of no values');
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function mean(values: readonly number[]): number {
	if (values.length === 0) throw new Error('mean of no values');
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** `value` with `digits` decimals, for tables. */
export function fixed(value: number, digits = 2): string {
	return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** A ratio as `1.07×`. */
export function times(ratio: number): string {
	return `${fixed(ratio, 2)}×`;
}

/** `PASS` when the measured value meets its target. */
export function verdict(met: boolean): 'PASS' | 'MISS' {
	return met ? 'PASS' : 'MISS';
}

/** Bytes as MB (10^6) with two decimals. */
export function megabytes(bytes: number): string {
	return `${fixed(bytes / 1_000_000, 2)} MB`;
}
