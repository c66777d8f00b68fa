/**
 * Keys that reach an object's prototype instead of being data when code copies, assigns or
 * inlines the value (`Object.assign`, object literals, `obj[key] = …` in a tool). JSON.parse keeps
 * them as plain keys, so a model can send them; no tool needs them.
 */
const prototypeKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first reason a tool call's (parsed) arguments cannot be trusted as data, or undefined.
 * JSON has no Infinity or NaN, but JSON.parse reads an overflowing number such as `1e400` as
 * Infinity, which turns into `null` the moment the value is serialised again: a condition, a log
 * and the tool would each see a different value. Such arguments go back to the model as invalid.
 */
export function unsafeToolInputProblem(value: unknown, path = '$'): string | undefined {
	if (typeof value === 'number') {
		return Number.isFinite(value) ? undefined : `${path} is a number too large for JSON (it reads as ${String(value)}); send a finite number`;
	}
	if (typeof value !== 'object' || value === null) return undefined;
	if (Array.isArray(value)) {
		for (const [index, element] of value.entries()) {
			const problem = unsafeToolInputProblem(element, `${path}[${index}]`);
			if (problem) return problem;
		}
		return undefined;
	}
	for (const key of Object.keys(value)) {
		if (prototypeKeys.has(key)) return `${path} has the key ${JSON.stringify(key)}, which is not allowed in arguments; rename it`;
		const problem = unsafeToolInputProblem((value as Record<string, unknown>)[key], `${path}.${key}`);
		if (problem) return problem;
	}
	return undefined;
}
