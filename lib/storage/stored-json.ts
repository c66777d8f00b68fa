import { z } from 'zod/v4';

import { StorageError } from './blob-store';

/**
 * Reads JSON this package stored, through the schema of what it should be. Anything else is a
 * StorageError that names the object (`source`) and what is wrong with it.
 */
export function parseStoredJson<Schema extends z.ZodType>(text: string, source: string, schema: Schema, what: string): z.infer<Schema> {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new StorageError(`Stored object ${source} is not valid JSON; it was changed outside n8n. Restore it or delete the run.`, { cause: error });
	}
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw new StorageError(
		`Stored object ${source} is not ${what}: ${z.prettifyError(parsed.error)}. It was changed outside n8n or written by another version of this package; restore it or delete the run.`,
	);
}
