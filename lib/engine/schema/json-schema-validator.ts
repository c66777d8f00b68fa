import type { Options } from 'ajv';
import type AjvCore from 'ajv/dist/core';

import { formatSchemaError, formatValueErrors } from './format-schema-errors';
import { jsonSchemaFormats } from './json-schema-formats';

/** The outcome of checking one value; `errors` are phrased for a model to fix its answer. */
export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

/** A schema ready to use, or the reason it cannot be used, written for the workflow author. */
export type CompiledJsonSchema =
	| { ok: true; validate(value: unknown): ValidationResult }
	| { ok: false; message: string };

/** How error messages name the schema and where the author fixes it. */
export type SchemaLabel = { subject: string; fixHint: string };

const outputSchemaLabel: SchemaLabel = {
	subject: 'The output JSON Schema',
	fixHint: "Fix the schema in 'JSON Schema'.",
};

type Dialect = 'draft-07' | '2019-09' | '2020-12';

/** Draft-06 schemas compile as draft-07, which only added keywords to it. */
const dialectBySchemaUri: Readonly<Record<string, Dialect>> = {
	'json-schema.org/draft-06/schema': 'draft-07',
	'json-schema.org/draft-07/schema': 'draft-07',
	'json-schema.org/draft/2019-09/schema': '2019-09',
	'json-schema.org/draft/2020-12/schema': '2020-12',
};

/** Compiling is the expensive part and the same few schemas come back on every turn and item. */
const maxCachedValidators = 256;
const validatorsByJson = new Map<string, CompiledJsonSchema>();
const ajvByDialect = new Map<Dialect, AjvCore>();

/**
 * Compiles a JSON Schema (draft-07 by default; 2019-09 or 2020-12 when `$schema` says so).
 * Never throws: an unusable schema comes back as a message that says what to fix.
 */
export function compileJsonSchema(schema: unknown, label: SchemaLabel = outputSchemaLabel): CompiledJsonSchema {
	const invalid = (problem: string): CompiledJsonSchema => ({
		ok: false,
		message: `${label.subject} is invalid: ${problem}. ${label.fixHint}`,
	});
	if (!isJsonObject(schema)) return invalid(`it must be a JSON object such as {"type": "object"}, not ${kindOf(schema)}`);
	// Keyed by content, not object identity: callers rebuild schema objects from parameters for every
	// item, and a schema mutated after compiling must not keep its old validator.
	const cacheKey = JSON.stringify(schema);
	const cached = validatorsByJson.get(cacheKey);
	if (cached) return cached;

	const dialect = dialectOf(schema.$schema);
	if (!dialect) {
		return invalid(
			`$schema ${JSON.stringify(schema.$schema)} is not supported; use "http://json-schema.org/draft-07/schema#" or "https://json-schema.org/draft/2020-12/schema", or leave $schema out`,
		);
	}
	if (schema.$async === true) return invalid('asynchronous schemas ($async) are not supported');

	// The dialect picked the validator; ajv itself only knows the exact meta-schema URIs, so a
	// spelling such as "https://…/draft-07/schema" would otherwise fail to compile.
	const body: Record<string, unknown> = { ...schema };
	delete body.$schema;
	const ajv = ajvFor(dialect);
	if (!ajv.validateSchema(body)) return invalid(formatSchemaError(ajv.errors ?? []));
	let compiled: CompiledJsonSchema;
	try {
		const validateFunction = ajv.compile(body);
		compiled = {
			ok: true,
			validate(value) {
				if (validateFunction(value)) return { valid: true };
				return { valid: false, errors: formatValueErrors(validateFunction.errors ?? []) };
			},
		};
	} catch (error) {
		return invalid(error instanceof Error ? error.message : String(error));
	} finally {
		// The compiled function stands alone; leaving the schema registered would grow ajv's cache
		// forever and make a second schema with the same $id fail to compile.
		ajv.removeSchema(body);
	}
	remember(cacheKey, compiled);
	return compiled;
}

function dialectOf(declared: unknown): Dialect | undefined {
	if (declared === undefined) return 'draft-07';
	if (typeof declared !== 'string') return undefined;
	const normalized = declared.trim().replace(/^https?:\/\//, '').replace(/#$/, '');
	return dialectBySchemaUri[normalized];
}

function ajvFor(dialect: Dialect): AjvCore {
	const existing = ajvByDialect.get(dialect);
	if (existing) return existing;
	const AjvClass = loadAjvClass(dialect);
	// strict: false accepts the keywords real-world schemas carry (examples, x-…); logger: false
	// keeps ajv's warnings about formats we do not check out of n8n's log.
	const ajv = new AjvClass({ strict: false, allErrors: true, logger: false });
	for (const [name, check] of Object.entries(jsonSchemaFormats)) ajv.addFormat(name, check);
	ajvByDialect.set(dialect, ajv);
	return ajv;
}

const ajvModuleByDialect: Readonly<Record<Dialect, string>> = {
	'draft-07': 'ajv',
	'2019-09': 'ajv/dist/2019',
	'2020-12': 'ajv/dist/2020',
};

/** Loaded on first compile: n8n loads every community node at start-up. */
function loadAjvClass(dialect: Dialect): new (options: Options) => AjvCore {
	 
	const loaded = require(ajvModuleByDialect[dialect]) as { default: new (options: Options) => AjvCore };
	return loaded.default;
}

function remember(cacheKey: string, compiled: CompiledJsonSchema): void {
	if (validatorsByJson.size >= maxCachedValidators) {
		const oldest = validatorsByJson.keys().next().value;
		if (oldest !== undefined) validatorsByJson.delete(oldest);
	}
	validatorsByJson.set(cacheKey, compiled);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (value === undefined) return 'empty';
	return `a ${typeof value}`;
}
