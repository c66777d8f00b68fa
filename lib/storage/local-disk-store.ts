import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { assertValidKey, assertValidPrefix, sortKeys } from './blob-key';
import type { BlobStore, PutOptions, PutResult } from './blob-store';
import { StorageError } from './blob-store';
import { errorCode } from './error-details';
import { toLocalDiskError } from './local-disk-error';
import { makeRootPrivate } from './local-disk-root';
import { createLocalDiskWriter } from './local-disk-write';

/** Error codes meaning "no object under this key" when reading or deleting. */
const absentCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * A BlobStore in a folder on the local disk: the zero set-up default. Each key is a file under
 * `rootDirectory`; `/` in keys become sub-folders. Several n8n processes may share the folder.
 * How writes stay atomic, race-free and crash-safe (and what survives a power loss) is described
 * in local-disk-write.ts. Only the user that runs n8n can read the objects: files are 0600, folders
 * 0700, and an existing root open to others is closed at first use (local-disk-root.ts).
 */
export function createLocalDiskStore(rootDirectory: string): BlobStore {
	if (rootDirectory.trim() === '') {
		throw new StorageError('The local storage folder is empty: set an absolute folder path, for example ~/.n8n/durable-agent.');
	}
	const root = path.resolve(rootDirectory);
	const writer = createLocalDiskWriter();
	let rootMadePrivate: Promise<void> | undefined;

	/** Runs makeRootPrivate before the store's first operation; a failed attempt is tried again next time. */
	function ensurePrivateRoot(): Promise<void> {
		rootMadePrivate ??= makeRootPrivate(root).catch((error: unknown) => {
			rootMadePrivate = undefined;
			throw error;
		});
		return rootMadePrivate;
	}

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
				await ensurePrivateRoot();
				return await fs.readFile(filePath);
			} catch (error) {
				if (absentCodes.has(errorCode(error) ?? '')) return undefined;
				throw toLocalDiskError(error, root, 'read', key);
			}
		},

		async put(key: string, body: string | Buffer, options: PutOptions = {}): Promise<PutResult> {
			const filePath = filePathOf(key);
			try {
				await ensurePrivateRoot();
				return await writer.write(filePath, body, { ifAbsent: options.ifAbsent === true, durable: options.ifAbsent === true || options.durable === true });
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
				await ensurePrivateRoot();
				const keys = await collectKeys(folder, folderKey);
				return sortKeys(keys.filter((key) => key.startsWith(prefix)));
			} catch (error) {
				throw toLocalDiskError(error, root, 'list', prefix);
			}
		},

		async delete(key: string): Promise<void> {
			const filePath = filePathOf(key);
			try {
				await ensurePrivateRoot();
				await fs.unlink(filePath);
			} catch (error) {
				if (absentCodes.has(errorCode(error) ?? '')) return;
				throw toLocalDiskError(error, root, 'delete', key);
			}
		},
	};
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
