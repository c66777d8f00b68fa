import type { JsonSchema, JsonValue } from '../model/messages';

/**
 * Derives a JSON Schema from an example value, for authors who would rather show the output they
 * want than write a schema. Every key of an example object is required; array items are described
 * by merging all elements, so a key becomes optional when some elements lack it, a number that is
 * sometimes fractional becomes `number`, and an element that is sometimes `null` becomes nullable.
 */
export function jsonSchemaFromExample(example: JsonValue): JsonSchema {
	if (example === null) return { type: 'null' };
	if (Array.isArray(example)) return arraySchema(example);
	switch (typeof example) {
		case 'string':
			return { type: 'string' };
		case 'number':
			return { type: Number.isInteger(example) ? 'integer' : 'number' };
		case 'boolean':
			return { type: 'boolean' };
		default:
			return objectSchema(example);
	}
}

function arraySchema(elements: JsonValue[]): JsonSchema {
	if (elements.length === 0) return { type: 'array' };
	return { type: 'array', items: elements.map(jsonSchemaFromExample).reduce(mergeSchemas) };
}

function objectSchema(example: { [key: string]: JsonValue }): JsonSchema {
	const keys = Object.keys(example);
	const properties = Object.fromEntries(keys.map((key) => [key, jsonSchemaFromExample(example[key])]));
	return { type: 'object', properties, required: keys };
}

/** Describes values matching either schema; when the two kinds cannot be reconciled the first wins. */
function mergeSchemas(first: JsonSchema, second: JsonSchema): JsonSchema {
	const left = splitNull(first);
	const right = splitNull(second);
	if (!left.schema) return right.schema ? withNull(right.schema) : first;
	if (!right.schema) return withNull(left.schema);
	const merged = mergeNonNull(left.schema, right.schema);
	return left.nullable || right.nullable ? withNull(merged) : merged;
}

function mergeNonNull(first: JsonSchema, second: JsonSchema): JsonSchema {
	if (first.type === 'object' && second.type === 'object') return mergeObjects(first, second);
	if (first.type === 'array' && second.type === 'array') {
		if (!first.items) return second;
		if (!second.items) return first;
		return { type: 'array', items: mergeSchemas(first.items as JsonSchema, second.items as JsonSchema) };
	}
	const numeric = ['integer', 'number'];
	if (numeric.includes(first.type as string) && numeric.includes(second.type as string)) {
		return first.type === second.type ? first : { type: 'number' };
	}
	return first;
}

function mergeObjects(first: JsonSchema, second: JsonSchema): JsonSchema {
	const firstProperties = first.properties as Record<string, JsonSchema>;
	const secondProperties = second.properties as Record<string, JsonSchema>;
	const properties: Record<string, JsonSchema> = { ...firstProperties };
	for (const [key, schema] of Object.entries(secondProperties)) {
		properties[key] = key in properties ? mergeSchemas(properties[key], schema) : schema;
	}
	const secondRequired = second.required as string[];
	const required = (first.required as string[]).filter((key) => secondRequired.includes(key));
	return { type: 'object', properties, required };
}

/** Separates "may be null" from the rest of a schema built by this module. */
function splitNull(schema: JsonSchema): { schema?: JsonSchema; nullable: boolean } {
	if (schema.type === 'null') return { nullable: true };
	if (Array.isArray(schema.type)) {
		const type = schema.type.find((name) => name !== 'null') as JsonValue;
		return { schema: { ...schema, type }, nullable: true };
	}
	return { schema, nullable: false };
}

function withNull(schema: JsonSchema): JsonSchema {
	return { ...schema, type: [schema.type as string, 'null'] };
}
