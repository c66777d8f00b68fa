import { z } from 'zod/v4';

import { UnreadableObjectError } from './blob-store';

/**
 * Reads JSON this package stored, through the schema of what it should be. Anything else is a
 * UnreadableObjectError that names the object (`source`) and what is wrong with it: reading it
 * again gives the same answer, so callers must not ask for a retry.
 */
export function parseStoredJson<Schema extends z.ZodType>(text: string, source: string, schema: Schema, what: string): z.infer<Schema> {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new UnreadableObjectError(`Stored object ${source} is not valid JSON; it was changed outside n8n, cut short, or written by two writers at once. Restore it or delete the run.`, source, { cause: error });
	}
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw new UnreadableObjectError(
		`Stored object ${source} is not ${what}: ${z.prettifyError(parsed.error)}. It was changed outside n8n or written by another version of this package; restore it or delete the run.`,
		source,
	);
}
