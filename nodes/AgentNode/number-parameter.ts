import { z } from 'zod/v4';

/** What a number parameter allows: the same bounds its field in the node's description sets. */
export type NumberRule = { integer: boolean; min: number; max?: number };

/** "a whole number from 1 to 32", "a number, 0 or more": what to enter, for error messages. */
export function expectedNumber(rule: NumberRule): string {
	const kind = rule.integer ? 'a whole number' : 'a number';
	return rule.max === undefined ? `${kind}, ${rule.min} or more` : `${kind} from ${rule.min} to ${rule.max}`;
}

/**
 * A number parameter's value checked against its rule. Expressions may give the number as text
 * ("12"); anything that is not a finite number inside the bounds is refused, so NaN, negative or
 * fractional values never reach the run's limits. Empty (undefined, null, '') takes `fallback`.
 */
export function numberSchema(rule: NumberRule, fallback: number) {
	let number = z.number().min(rule.min);
	if (rule.max !== undefined) number = number.max(rule.max);
	return z.preprocess((value) => {
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
		return typeof value === 'string' ? Number(value.trim()) : value;
	}, rule.integer ? number.int() : number);
}
