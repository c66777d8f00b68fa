import { promises as fs } from 'node:fs';

import { errorCode } from './error-details';
import { privateFolderMode } from './local-disk-write';

/** Mode bits that let users other than the owner in. */
const groupAndOtherBits = 0o077;
/** The sticky bit marks a folder shared by design, such as /tmp: never ours to close. */
const stickyBit = 0o1000;

/**
 * Makes an existing storage folder private, once per store, before its first read or write.
 *
 * New folders are created 0700 by the writer, but a folder made by an earlier version of this
 * package (0755, holding 0644 objects and the signing secret) stays open to every local user.
 * Closing the root is enough to close everything under it, since nobody else can then enter it.
 * The root is tightened only when the user that runs n8n owns it, it is a plain folder (not a
 * symbolic link to one) and it is not shared by design (sticky bit). A folder that someone else
 * owns is left as its owner set it. Nothing happens on Windows, which has no such modes.
 */
export async function makeRootPrivate(root: string): Promise<void> {
	if (process.getuid === undefined) return;
	let stats;
	try {
		stats = await fs.lstat(root);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return;
		throw error;
	}
	if (!stats.isDirectory() || stats.uid !== process.getuid()) return;
	if ((stats.mode & groupAndOtherBits) === 0 || (stats.mode & stickyBit) !== 0) return;
	try {
		await fs.chmod(root, privateFolderMode);
	} catch (error) {
		// A read-only file system: reads still work, and a write reports it with advice.
		if (errorCode(error) !== 'EROFS') throw error;
	}
}
