import { z } from 'zod/v4';
import type { JsonSchema } from '../../../lib/engine';

/**
 * How a connected tool takes its input: an object described by a JSON Schema, or a single string
 * (LangChain's `Tool`/`DynamicTool`, e.g. n8n's Code Tool without an input schema, Wikipedia,
 * Calculator), which the model sends as `{ input: "…" }` and the tool receives unwrapped.
 */
export type ToolInputShape = { type: 'object-input'; inputSchema: JsonSchema } | { type: 'text-input'; inputSchema: JsonSchema };

const textInputSchema: JsonSchema = {
	type: 'object',
	properties: { input: { type: 'string' } },
	required: ['input'],
};

type ZodV3Definition = { typeName?: string; schema?: { _def?: ZodV3Definition }; shape?: () => Record<string, unknown> };

/**
 * Reads a LangChain tool's `schema` (zod v3 as n8n and LangChain build them, zod v4, or plain JSON
 * Schema) into the JSON Schema the engine validates against and sends to the model.
 * Throws when the schema cannot describe an object, naming the tool.
 */
export function toolInputShape(schema: unknown, toolLabel: string): ToolInputShape {
	if (schema === undefined || schema === null || isLangChainTextSchema(schema)) {
		return { type: 'text-input', inputSchema: textInputSchema };
	}
	const converted = convertToJsonSchema(schema, toolLabel);
	if (converted.type !== 'object') {
		throw new Error(
			`The input schema of ${toolLabel} has type ${JSON.stringify(converted.type ?? null)}, but tool input must be an object. Give the tool an object schema.`,
		);
	}
	return { type: 'object-input', inputSchema: converted };
}

function convertToJsonSchema(schema: unknown, toolLabel: string): JsonSchema {
	if (typeof schema !== 'object' || schema === null) {
		throw new Error(`The input schema of ${toolLabel} is not a schema (got ${typeof schema}).`);
	}
	// zod v4 schemas also carry `_def`, so the v4 marker has to be checked first.
	if ('_zod' in schema) {
		const converted = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
		return withoutDialectMarker(converted as JsonSchema);
	}
	if ('_def' in schema) {
		 
		const { zodToJsonSchema } = require('zod-to-json-schema') as typeof import('zod-to-json-schema');
		return withoutDialectMarker(zodToJsonSchema(schema as Parameters<typeof zodToJsonSchema>[0]) as JsonSchema);
	}
	// A schema the tool author wrote keeps its `$schema`: it tells the validator which dialect applies.
	return schema as JsonSchema;
}

/**
 * LangChain's string-input `Tool` declares `z.object({ input: z.string().optional() }).transform(…)`
 * (zod v3); recognising that shape covers every subclass without depending on class identity.
 */
function isLangChainTextSchema(schema: unknown): boolean {
	const definition = (schema as { _def?: ZodV3Definition })._def;
	if (definition?.typeName !== 'ZodEffects') return false;
	const inner = definition.schema?._def;
	if (inner?.typeName !== 'ZodObject' || typeof inner.shape !== 'function') return false;
	const keys = Object.keys(inner.shape());
	return keys.length === 1 && keys[0] === 'input';
}

/**
 * Both converters emit draft-07, the validator's default dialect, so the marker only adds noise
 * to every request sent to the provider.
 */
function withoutDialectMarker(schema: JsonSchema): JsonSchema {
	const copy = { ...schema };
	delete copy.$schema;
	return copy;
}
