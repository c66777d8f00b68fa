import { StorageError } from './blob-store';
import { errorCode, errorMessage } from './error-details';

/** What the local-disk adapter was doing when the file system refused. */
export type LocalDiskAction = 'read' | 'write' | 'list' | 'delete';

/** Turns a Node file-system error into a StorageError that says what to change. */
export function toLocalDiskError(error: unknown, root: string, action: LocalDiskAction, key: string): StorageError {
	if (error instanceof StorageError) return error;
	const subject = `Cannot ${action} ${JSON.stringify(key)} in the local storage folder ${root}`;
	return new StorageError(`${subject}: ${adviceFor(error, root)}`, { cause: error });
}

function adviceFor(error: unknown, root: string): string {
	switch (errorCode(error)) {
		case 'EACCES':
		case 'EPERM':
			return `permission denied. Give the user that runs n8n read and write access to ${root}, or choose another storage folder.`;
		case 'EROFS':
			return 'the file system is read-only. Choose a storage folder on a writable disk.';
		case 'ENOSPC':
		case 'EDQUOT':
			return 'the disk is full. Free up space or choose a storage folder on another disk.';
		case 'ENAMETOOLONG':
			return 'the path is too long for this file system. Choose a shorter storage folder or prefix.';
		case 'ENOTDIR':
		case 'EEXIST':
		case 'EISDIR':
			return 'a file and a folder would share one name, which a disk cannot hold. Remove the conflicting file or folder.';
		case 'EMFILE':
		case 'ENFILE':
			return 'too many files are open. Raise the open-file limit of the n8n process.';
		case 'ENOTSUP':
		case 'EOPNOTSUPP':
		case 'EXDEV':
			return 'this file system does not support hard links, which one-time records rely on. Choose a storage folder on a local disk.';
		default:
			return errorMessage(error);
	}
}
