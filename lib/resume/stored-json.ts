import { StorageError } from '../storage';

/** Reads a JSON object this package stored, checked against its schema; anything else is a StorageError naming the key. */
export function parseStored<Value>(body: Buffer, key: string, parse: (value: unknown) => { success: true; data: Value } | { success: false }): Value {
	const json = parseJson(body.toString('utf8'));
	if (!json.ok) throw new StorageError(`Stored object ${key} is not valid JSON (${json.message}); it was changed outside n8n.`);
	const parsed = parse(json.value);
	if (!parsed.success) throw new StorageError(`Stored object ${key} does not have the expected shape; it was changed outside n8n or by another package version.`);
	return parsed.data;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}
