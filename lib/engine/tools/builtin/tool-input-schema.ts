import { z } from 'zod/v4';

import type { JsonSchema } from '../../model/messages';

/** Converted once per zod schema: tools built per run (read_tool_output, memory) reuse the conversion. */
const converted = new WeakMap<z.ZodType, JsonSchema>();

/**
 * The JSON Schema a built-in tool advertises, derived from the zod schema its `execute` parses,
 * so the two cannot drift apart. Draft-07 without `$schema`: the form every provider accepts.
 * The result is shared: treat it as read-only.
 */
export function toolInputSchema(schema: z.ZodType): JsonSchema {
	const known = converted.get(schema);
	if (known) return known;
	const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as JsonSchema;
	delete jsonSchema.$schema;
	converted.set(schema, jsonSchema);
	return jsonSchema;
}
