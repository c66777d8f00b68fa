import type { ErrorObject } from 'ajv';

/** More errors than this only bury the first ones; the reader fixes those and tries again. */
const maxReportedErrors = 20;

/**
 * Turns ajv errors into lines a model (or a person) can act on: where the problem is, as a JSON
 * pointer or `root`, then what is wrong, naming the offending property or the allowed values.
 */
export function formatValueErrors(errors: readonly ErrorObject[]): string[] {
	const lines = [...new Set(errors.map((error) => `${locationOf(error)}: ${describeError(error)}`))];
	if (lines.length <= maxReportedErrors) return lines;
	return [...lines.slice(0, maxReportedErrors), `…and ${lines.length - maxReportedErrors} more errors`];
}

/**
 * Describes why a schema failed its meta-schema. Only the first error is kept: the others are the
 * alternatives of the same `anyOf` (for example "must be array" after a misspelled type name).
 */
export function formatSchemaError(errors: readonly ErrorObject[]): string {
	const first = errors[0];
	if (!first) return 'it does not match the JSON Schema meta-schema';
	return `${locationOf(first)} ${describeError(first)}`;
}

function locationOf(error: ErrorObject): string {
	return error.instancePath === '' ? 'root' : error.instancePath;
}

function describeError(error: ErrorObject): string {
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'additionalProperties':
			return `must NOT have additional property '${String(params.additionalProperty)}'`;
		case 'enum':
			return `must be one of ${listValues(params.allowedValues)}`;
		case 'const':
			return `must be equal to ${JSON.stringify(params.allowedValue)}`;
		default:
			return error.message ?? `failed the '${error.keyword}' check`;
	}
}

function listValues(values: unknown): string {
	if (!Array.isArray(values)) return 'the allowed values';
	const shown = values.slice(0, 10).map((value) => JSON.stringify(value));
	return values.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}
