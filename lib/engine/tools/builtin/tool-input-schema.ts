import { z } from 'zod/v4';

import type { JsonSchema } from '../../model/messages';

/**
 * The JSON Schema a built-in tool advertises, derived from the zod schema its `execute` parses,
 * so the two cannot drift apart. Draft-07 without `$schema`: the form every provider accepts.
 */
export function toolInputSchema(schema: z.ZodType): JsonSchema {
	const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as JsonSchema;
	delete jsonSchema.$schema;
	return jsonSchema;
}
