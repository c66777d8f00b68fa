import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { assertValidKey, assertValidPrefix, sortKeys } from './blob-key';
import type { BlobStore, PutOptions, PutResult } from './blob-store';
import { StorageError } from './blob-store';
import { errorCode } from './error-details';
import { toLocalDiskError } from './local-disk-error';

/** Error codes meaning "no object under this key" when reading or deleting. */
const absentCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * A BlobStore in a folder on the local disk: the zero set-up default. Each key is a file under
 * `rootDirectory`; `/` in keys become sub-folders. Several n8n processes may share the folder.
 */
export function createLocalDiskStore(rootDirectory: string): BlobStore {
	if (rootDirectory.trim() === '') {
		throw new StorageError('The local storage folder is empty: set an absolute folder path, for example ~/.n8n/durable-agent.');
	}
	const root = path.resolve(rootDirectory);

	function filePathOf(key: string): string {
		assertValidKey(key);
		const filePath = path.join(root, ...key.split('/'));
		// assertValidKey already rules out traversal; this guards the mapping itself.
		const relativePath = path.relative(root, filePath);
		if (relativePath === '' || relativePath.startsWith('..') || path.isAbsolute(relativePath)) {
			throw new StorageError(`Invalid storage key ${JSON.stringify(key)}: it points outside the local storage folder ${root}.`);
		}
		return filePath;
	}

	return {
		location: pathToFileURL(root).href,

		async get(key: string): Promise<Buffer | undefined> {
			const filePath = filePathOf(key);
			try {
				return await fs.readFile(filePath);
			} catch (error) {
				if (absentCodes.has(errorCode(error) ?? '')) return undefined;
				throw toLocalDiskError(error, root, 'read', key);
			}
		},

		async put(key: string, body: string | Buffer, options: PutOptions = {}): Promise<PutResult> {
			const filePath = filePathOf(key);
			try {
				return await writeAtomically(filePath, body, options.ifAbsent === true);
			} catch (error) {
				throw toLocalDiskError(error, root, 'write', key);
			}
		},

		async list(prefix: string): Promise<string[]> {
			assertValidPrefix(prefix);
			// Only the folder the prefix names in full is walked; its last partial segment filters.
			const folderKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
			const folder = folderKey === '' ? root : filePathOf(folderKey.slice(0, -1));
			try {
				const keys = await collectKeys(folder, folderKey);
				return sortKeys(keys.filter((key) => key.startsWith(prefix)));
			} catch (error) {
				throw toLocalDiskError(error, root, 'list', prefix);
			}
		},

		async delete(key: string): Promise<void> {
			const filePath = filePathOf(key);
			try {
				await fs.unlink(filePath);
			} catch (error) {
				if (absentCodes.has(errorCode(error) ?? '')) return;
				throw toLocalDiskError(error, root, 'delete', key);
			}
		},
	};
}

/**
 * Writes to a temporary file in the destination folder, flushes it, then moves it into place, so
 * readers see the old object or the whole new one, never a half-written file, even after a crash.
 * For `ifAbsent` the move is a hard link, which the operating system refuses with EEXIST when the
 * name is taken: that makes "write once" race-free across processes sharing the folder.
 */
async function writeAtomically(filePath: string, body: string | Buffer, ifAbsent: boolean): Promise<PutResult> {
	const folder = path.dirname(filePath);
	// Leading dot: keys never start with one, so temporary files can never collide with or appear as keys.
	const temporaryPath = path.join(folder, `.tmp-${randomBytes(12).toString('hex')}`);
	await fs.mkdir(folder, { recursive: true });
	try {
		await writeAndFlush(temporaryPath, body);
		if (!ifAbsent) {
			await fs.rename(temporaryPath, filePath);
			return { written: true };
		}
		try {
			await fs.link(temporaryPath, filePath);
			return { written: true };
		} catch (error) {
			if (errorCode(error) === 'EEXIST') return { written: false, reason: 'exists' };
			throw error;
		}
	} finally {
		// After a rename there is nothing left to remove; a leftover would be hidden from list anyway.
		await fs.rm(temporaryPath, { force: true }).catch(() => undefined);
	}
}

async function writeAndFlush(filePath: string, body: string | Buffer): Promise<void> {
	const handle = await fs.open(filePath, 'wx');
	try {
		await handle.writeFile(body);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Every file under `folder` as a key starting with `folderKey`, skipping names no key can have. */
async function collectKeys(folder: string, folderKey: string): Promise<string[]> {
	let entries;
	try {
		entries = await fs.readdir(folder, { withFileTypes: true });
	} catch (error) {
		if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
		throw error;
	}
	const nested = await Promise.all(
		entries
			.filter((entry) => !entry.name.startsWith('.') && !entry.name.includes('\\'))
			.map(async (entry): Promise<string[]> => {
				const key = folderKey + entry.name;
				if (entry.isDirectory()) return collectKeys(path.join(folder, entry.name), `${key}/`);
				return entry.isFile() ? [key] : [];
			}),
	);
	return nested.flat();
}
