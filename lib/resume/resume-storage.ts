import type { BlobStore } from '../storage';

/** The store and key prefix a node is configured with; every resume object lives under them. */
export type ResumeStorage = { store: BlobStore; prefix: string };
