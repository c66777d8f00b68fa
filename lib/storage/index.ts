export type { BlobStore, PutOptions, PutResult } from './blob-store';
export { StorageError } from './blob-store';
export { createMemoryStore } from './memory-store';
export { createLocalDiskStore } from './local-disk-store';
export type { S3StoreOptions } from './s3-client';
export type { S3AccessCheck } from './s3-store';
export { createS3Store, checkS3Access } from './s3-store';
export { createVerifiedS3Store, withProvenConditionalWrites } from './conditional-write-proof';
export type { NodeLocation, RunLocation } from './keys';
export {
	continuationAttemptOf,
	continuationKey,
	continuationsFolder,
	decisionKey,
	journalFolder,
	journalKey,
	memoryEntryKey,
	memoryFolder,
	resumeClaimKey,
	runFolder,
	runRecordKey,
	snapshotKey,
	transcriptFolder,
	toolOutputKey,
	transcriptTurnKey,
	waitRecordKey,
} from './keys';
export { loadSigningSecret } from './signing-secret';
export type { RunStore } from './run-store';
export { createRunStore } from './run-store';
