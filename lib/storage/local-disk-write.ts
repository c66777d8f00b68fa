import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import type { PutResult } from './blob-store';
import { errorCode } from './error-details';

/**
 * How one object reaches the local disk, and what survives what:
 *
 * - Readers see the old object or the whole new one, never a half-written file: the body goes to a
 *   temporary file in the destination folder, which is then renamed over the key (atomic on every
 *   local file system).
 * - `ifAbsent` is race-free across processes sharing the folder: the temporary file is hard-linked
 *   to the key instead, which the operating system refuses with EEXIST when the name is taken.
 * - Every object survives a crash of the n8n process once `put` has returned (so, for the tool-call
 *   journal, before the tool runs): the body is written, and so handed to the operating system's
 *   page cache, before the rename makes it visible. A dead process cannot take it back.
 * - Durable objects are also flushed to the disk itself (fdatasync of the file, then fsync of its
 *   folder), so they survive a power loss or an operating-system crash too: every write-once
 *   (`ifAbsent`) object, which other processes decide by (a pause's snapshot, approval decisions,
 *   continuation claims, the signing secret), and the intent the tool-call journal records before a
 *   call runs, whose loss could let a call run twice. Fsyncing the folder also commits the file
 *   system's journal, which on ext4 and XFS includes the folders created above it.
 * - Other objects (transcript turns, journal results, the run record, memory) are not flushed:
 *   an fsync per object would block one of libuv's four file-system threads for milliseconds and
 *   queue every concurrent run behind it. After a power loss or an operating-system crash, the ones
 *   written shortly before it (Linux writes dirty pages back within about half a minute by default)
 *   can be missing, or, on file systems that may commit a rename before the data it names, present
 *   but empty or cut short; reading such an object then fails as not valid JSON. The run that wrote
 *   them stopped with the machine in any case, and nothing is run again automatically.
 * - Only the user that runs n8n can read them: files are created 0600 and folders 0700 (see
 *   privateFileMode).
 */
export type LocalDiskWriter = {
	write(filePath: string, body: string | Buffer, options: { ifAbsent: boolean; durable: boolean }): Promise<PutResult>;
};

// Node's callback functions, promisified: FileHandle (fs.promises) costs noticeably more CPU per
// call on the event loop thread, and a busy n8n process runs many agent items on that one thread.
const openFile = promisify(fs.open);
const writeToFile = promisify(fs.write);
const closeFile = promisify(fs.close);
const flushFileData = promisify(fs.fdatasync);
const flushFile = promisify(fs.fsync);
const makeFolder = promisify(fs.mkdir);
const renameFile = promisify(fs.rename);
const linkFile = promisify(fs.link);
const unlinkFile = promisify(fs.unlink);

/**
 * Objects are private to the user that runs n8n: the signing secret lets anyone who reads it forge
 * approval tokens, and transcripts hold what users and tools said. The mode is given when the
 * temporary file is created, so no byte is ever readable by others, and the key keeps it: the rename
 * or hard link moves that same file into place. Folders are created (with any missing parents) 0700.
 */
export const privateFileMode = 0o600;
export const privateFolderMode = 0o700;

/** How many folders a writer remembers as existing (see knownFolders). */
const knownFoldersLimit = 256;

/** Error codes of fsync on a folder where the platform or file system does not offer it. */
const folderSyncUnsupportedCodes = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EPERM', 'EACCES']);

export function createLocalDiskWriter(): LocalDiskWriter {
	// Leading dot: keys never start with one, so temporary files can never collide with or appear as
	// keys. A random token per writer plus a counter is unique across processes sharing the folder
	// (and the 'wx' flag would refuse a collision rather than share a file).
	const temporaryPrefix = `.tmp-${randomBytes(6).toString('hex')}-`;
	let counter = 0;
	const folders = knownFolders(knownFoldersLimit);

	return {
		async write(filePath, body, { ifAbsent, durable }) {
			const folder = path.dirname(filePath);
			const temporaryPath = path.join(folder, `${temporaryPrefix}${(counter++).toString(36)}`);
			await writeNewFile(temporaryPath, folder, body, durable, folders);
			if (!ifAbsent) {
				try {
					await renameFile(temporaryPath, filePath);
				} catch (error) {
					await unlinkFile(temporaryPath).catch(() => undefined);
					throw error;
				}
				if (durable) await syncFolder(folder);
				return { written: true };
			}
			try {
				await linkFile(temporaryPath, filePath);
			} catch (error) {
				if (errorCode(error) === 'EEXIST') return { written: false, reason: 'exists' };
				throw error;
			} finally {
				await unlinkFile(temporaryPath).catch(() => undefined);
			}
			if (durable) await syncFolder(folder);
			return { written: true };
		},
	};
}

/**
 * Creates `filePath` (which must not exist) holding `body`, flushed to the disk when `flush` is set.
 * Its folder is created first unless `folders` remembers it; one that vanished since (deleted by
 * hand) is created again when the file cannot be opened for want of it.
 */
async function writeNewFile(filePath: string, folder: string, body: string | Buffer, flush: boolean, folders: KnownFolders): Promise<void> {
	if (!folders.has(folder)) {
		await makeFolder(folder, { recursive: true, mode: privateFolderMode });
		folders.add(folder);
	}
	let descriptor: number;
	try {
		descriptor = await openFile(filePath, 'wx', privateFileMode);
	} catch (error) {
		if (errorCode(error) !== 'ENOENT') throw error;
		await makeFolder(folder, { recursive: true, mode: privateFolderMode });
		descriptor = await openFile(filePath, 'wx', privateFileMode);
	}
	try {
		await writeAll(descriptor, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
		if (flush) await flushFileData(descriptor);
	} catch (error) {
		await closeFile(descriptor).catch(() => undefined);
		await unlinkFile(filePath).catch(() => undefined);
		throw error;
	}
	// Some file systems (NFS) report a failed write only when the file is closed.
	try {
		await closeFile(descriptor);
	} catch (error) {
		await unlinkFile(filePath).catch(() => undefined);
		throw error;
	}
}

/** write(2) may take less than it was given; small bodies go in one call. */
async function writeAll(descriptor: number, bytes: Buffer): Promise<void> {
	for (let offset = 0; offset < bytes.length; ) {
		const { bytesWritten } = await writeToFile(descriptor, bytes, offset, bytes.length - offset, null);
		offset += bytesWritten;
	}
}

/**
 * Folders this writer has created or found, so that writing into one again costs no mkdir. A run
 * writes into a few folders in a burst and then never again, so a small window of the latest ones
 * is enough, and memory stays bounded however many runs the process makes.
 */
type KnownFolders = { has(folder: string): boolean; add(folder: string): void };

function knownFolders(limit: number): KnownFolders {
	const folders = new Set<string>();
	return {
		has: (folder) => folders.has(folder),
		add(folder) {
			if (folders.size >= limit) {
				// A Set iterates in insertion order: the first entry is the oldest.
				const oldest = folders.values().next().value;
				if (oldest !== undefined) folders.delete(oldest);
			}
			folders.add(folder);
		},
	};
}

/** Makes the folder's entries (a new hard link) durable; skipped where folders cannot be fsynced (Windows). */
async function syncFolder(folder: string): Promise<void> {
	if (process.platform === 'win32') return;
	let descriptor: number;
	try {
		descriptor = await openFile(folder, 'r');
	} catch (error) {
		if (folderSyncUnsupportedCodes.has(errorCode(error) ?? '')) return;
		throw error;
	}
	try {
		await flushFile(descriptor);
	} catch (error) {
		if (!folderSyncUnsupportedCodes.has(errorCode(error) ?? '')) throw error;
	} finally {
		await closeFile(descriptor);
	}
}
