import { StorageError } from './blob-store';

/**
 * Every adapter accepts exactly the same keys, so a key that works against the memory store in a test
 * also works on disk and in a bucket. The rules are the ones a file system needs: `/`-separated,
 * non-empty segments, no segment starting with `.` (no `.`/`..` traversal, no hidden files, and room
 * for the local-disk adapter's own temporary files), no backslash (a separator on Windows) and no NUL.
 */
export function assertValidKey(key: string): void {
	const problem = findKeyProblem(key);
	if (problem !== undefined) {
		throw new StorageError(`Invalid storage key ${JSON.stringify(key)}: ${problem}. Build keys with lib/storage/keys.ts.`);
	}
}

/** Whether `key` follows the rules above; adapters use it to skip foreign objects when listing. */
export function isValidKey(key: string): boolean {
	return findKeyProblem(key) === undefined;
}

/** A list prefix is a key, a key followed by `/`, or empty (everything). */
export function assertValidPrefix(prefix: string): void {
	if (prefix === '') return;
	assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/**
 * Sorts keys by their UTF-8 bytes, the order S3's ListObjectsV2 uses, so every adapter lists in the
 * same order (JavaScript's default sort compares UTF-16 code units, which differs above U+FFFF).
 */
export function sortKeys(keys: Iterable<string>): string[] {
	return [...keys]
		.map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
		.sort((left, right) => Buffer.compare(left.bytes, right.bytes))
		.map(({ key }) => key);
}

function findKeyProblem(key: string): string | undefined {
	if (key === '') return 'it is empty';
	if (key.includes('\0')) return 'it contains a NUL character';
	if (key.includes('\\')) return 'it contains a backslash';
	for (const segment of key.split('/')) {
		if (segment === '') return 'it has an empty segment (leading, trailing or doubled "/")';
		if (segment.startsWith('.')) return `segment ${JSON.stringify(segment)} starts with "."`;
	}
	return undefined;
}
