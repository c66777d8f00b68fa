/**
 * A parameter that takes JSON (a pause reference, decisions, a run to replay): the parsed value when
 * it is JSON text, the value itself otherwise (an expression may give an object directly, and text
 * that is not JSON is left for the parameter's schema to refuse with a message).
 */
export function jsonParameterValue(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}
