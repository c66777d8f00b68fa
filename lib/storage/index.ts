export type { BlobStore, PutOptions, PutResult } from './blob-store';
export { StorageError, UnreadableObjectError } from './blob-store';
export { createMemoryStore } from './memory-store';
export type { AgentMemoryStore, StoredMemoryObject } from './agent-memory-store';
export { createAgentMemoryStore } from './agent-memory-store';
export type { MemoryScope } from './memory-scope';
export { memoryScopeLabel, normalizedScopeKey } from './memory-scope';
export { createLocalDiskStore } from './local-disk-store';
export type { S3StoreOptions } from './s3-client';
export type { S3AccessCheck } from './s3-store';
export { createS3Store, checkS3Access } from './s3-store';
export { createVerifiedS3Store, withProvenConditionalWrites } from './conditional-write-proof';
export type { NodeLocation, RunLocation } from './keys';
// Keys are built inside lib (the run store, agent memory, lib/resume); these few are exported for
// tests that check where a run store puts its objects.
export { journalKey, memoryEntryKey, runRecordKey, toolOutputKey, transcriptTurnKey } from './keys';
export { loadSigningSecret } from './signing-secret';
export type { ReadableRunStore } from './run-store';
export { createRunStore } from './run-store';
