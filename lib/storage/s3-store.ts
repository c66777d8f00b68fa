import { assertValidKey, assertValidPrefix, isValidKey, sortKeys } from './blob-key';
import type { BlobStore, PutOptions, PutResult, StorageError } from './blob-store';
import type { S3Connection, S3StoreOptions } from './s3-client';
import { describeEndpoint, openS3Connection, validateS3Options } from './s3-client';
import type { S3ErrorContext } from './s3-error';
import { isConditionalWriteRefused, isMissingObject, toS3StorageError } from './s3-error';

/** The outcome of checkS3Access, shaped for an n8n credential test. */
export type S3AccessCheck = { ok: true } | { ok: false; message: string };

/**
 * A BlobStore in an S3-compatible bucket. The SDK is loaded and the client built on the first call,
 * then reused. One-time records use `If-None-Match: *`, which AWS S3, Cloudflare R2 and MinIO enforce.
 */
export function createS3Store(options: S3StoreOptions): BlobStore {
	validateS3Options(options);
	const endpoint = describeEndpoint(options);
	const bucket = options.bucket;
	let connection: Promise<S3Connection> | undefined;

	function connect(): Promise<S3Connection> {
		connection ??= openS3Connection(options).catch((error: unknown) => {
			connection = undefined;
			throw error;
		});
		return connection;
	}

	function failure(error: unknown, operation: S3ErrorContext['operation'], key: string): StorageError {
		return toS3StorageError(error, { operation, key, bucket, endpoint });
	}

	return {
		location: `s3://${bucket}`,

		async get(key: string): Promise<Buffer | undefined> {
			assertValidKey(key);
			try {
				const { sdk, client } = await connect();
				const response = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
				if (response.Body === undefined) return Buffer.alloc(0);
				const bytes = await response.Body.transformToByteArray();
				return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
			} catch (error) {
				if (isMissingObject(error)) return undefined;
				throw failure(error, 'read', key);
			}
		},

		async put(key: string, body: string | Buffer, putOptions: PutOptions = {}): Promise<PutResult> {
			assertValidKey(key);
			const ifAbsent = putOptions.ifAbsent === true;
			try {
				const { sdk, client } = await connect();
				await client.send(
					new sdk.PutObjectCommand({
						Bucket: bucket,
						Key: key,
						Body: body,
						// Explicit, because the SDK leaves it out for empty bodies and then warns about streams.
						ContentLength: Buffer.byteLength(body),
						ContentType: putOptions.contentType,
						IfNoneMatch: ifAbsent ? '*' : undefined,
					}),
				);
				return { written: true };
			} catch (error) {
				if (ifAbsent && isConditionalWriteRefused(error)) return { written: false, reason: 'exists' };
				throw failure(error, 'write', key);
			}
		},

		async list(prefix: string): Promise<string[]> {
			assertValidPrefix(prefix);
			try {
				const { sdk, client } = await connect();
				const keys: string[] = [];
				let continuationToken: string | undefined;
				do {
					const page = await client.send(
						new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix === '' ? undefined : prefix, ContinuationToken: continuationToken }),
					);
					for (const object of page.Contents ?? []) {
						// Skips objects other tools put there that no adapter could read back, such as folder markers ending in "/".
						if (object.Key !== undefined && isValidKey(object.Key)) keys.push(object.Key);
					}
					continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
				} while (continuationToken !== undefined);
				return sortKeys(keys);
			} catch (error) {
				throw failure(error, 'list', prefix);
			}
		},

		async delete(key: string): Promise<void> {
			assertValidKey(key);
			try {
				const { sdk, client } = await connect();
				await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
			} catch (error) {
				throw failure(error, 'delete', key);
			}
		},
	};
}

/**
 * Checks that the bucket exists and the credentials may list it, with one ListObjectsV2 call
 * (MaxKeys 1). Never throws: a credential test shows `message` to the user.
 */
export async function checkS3Access(options: S3StoreOptions): Promise<S3AccessCheck> {
	let connection: S3Connection | undefined;
	try {
		validateS3Options(options);
		connection = await openS3Connection(options);
		const { sdk, client } = connection;
		await client.send(new sdk.ListObjectsV2Command({ Bucket: options.bucket, MaxKeys: 1 }));
		return { ok: true };
	} catch (error) {
		const context: S3ErrorContext = { operation: 'list', key: '', bucket: options.bucket, endpoint: describeEndpoint(options) };
		return { ok: false, message: toS3StorageError(error, context).message };
	} finally {
		connection?.client.destroy();
	}
}
