export type PutOptions = {
	/** Write only if nothing is stored under the key yet (one-time records). */
	ifAbsent?: boolean;
	/**
	 * Flush the object to the storage medium before returning, so it survives a power loss too (local
	 * disk; S3 stores durably anyway). For the few objects a lost write could turn into a repeated
	 * side effect: every `ifAbsent` object is durable as well.
	 */
	durable?: boolean;
	contentType?: string;
};

export type PutResult = { written: true } | { written: false; reason: 'exists' };

/**
 * The storage port: a flat key space of immutable-ish objects. Adapters: local disk, S3-compatible,
 * memory. Keys use `/` separators and come from keys.ts only.
 */
export interface BlobStore {
	/** Where objects go, for humans: `file:///…` or `s3://bucket/…`. */
	readonly location: string;
	get(key: string): Promise<Buffer | undefined>;
	put(key: string, body: string | Buffer, options?: PutOptions): Promise<PutResult>;
	/** Every key that starts with `prefix`, sorted. */
	list(prefix: string): Promise<string[]>;
	delete(key: string): Promise<void>;
}

/** Storage was misconfigured or unreachable; carries advice on what to fix. */
export class StorageError extends Error {
	constructor(message: string, options: { cause?: unknown } = {}) {
		super(message, options);
		this.name = 'StorageError';
	}
}

/**
 * A stored object is there but is not what this package wrote (not JSON, or not the expected
 * shape): changed outside n8n, cut short, or two writers interleaved on a store that does not keep
 * "only if absent". Unlike an unreachable store, asking again gives the same answer: the message
 * names the object and what to do with it.
 */
export class UnreadableObjectError extends StorageError {
	constructor(
		message: string,
		readonly key: string,
		options: { cause?: unknown } = {},
	) {
		super(message, options);
		this.name = 'UnreadableObjectError';
	}
}
