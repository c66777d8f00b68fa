import type { S3Client } from '@aws-sdk/client-s3';

import { StorageError } from './blob-store';

/** Connection settings for any S3-compatible store: AWS S3, Cloudflare R2, MinIO… */
export type S3StoreOptions = {
	/** Custom endpoint URL (R2, MinIO…); leave out for AWS S3. */
	endpoint?: string;
	/** AWS region; `auto` for Cloudflare R2, usually `us-east-1` for MinIO. */
	region: string;
	bucket: string;
	accessKeyId: string;
	secretAccessKey: string;
	/** Address buckets as `endpoint/bucket` instead of `bucket.endpoint` (MinIO and most self-hosted stores). */
	forcePathStyle: boolean;
};

/** The lazily loaded SDK module together with a client built from it. */
export type S3Connection = {
	sdk: typeof import('@aws-sdk/client-s3');
	client: S3Client;
};

/** A dead or black-holed endpoint fails within about (connect + request) × attempts, never hangs. */
const connectionTimeoutMs = 5_000;
const requestTimeoutMs = 30_000;
const maxAttempts = 3;

/** Throws a StorageError naming the setting to fix when the options cannot work at all. */
export function validateS3Options(options: S3StoreOptions): void {
	if (options.bucket.trim() === '') throw new StorageError('The S3 bucket name is empty: set it in the S3 credential.');
	if (options.region.trim() === '') {
		throw new StorageError('The S3 region is empty: set it in the S3 credential (use "auto" for Cloudflare R2, "us-east-1" for MinIO).');
	}
	if (options.accessKeyId.trim() === '' || options.secretAccessKey === '') {
		throw new StorageError('The S3 access key id or secret is empty: set both in the S3 credential.');
	}
	const endpoint = endpointOf(options);
	if (endpoint !== undefined && !URL.canParse(endpoint)) {
		throw new StorageError(`The S3 endpoint ${JSON.stringify(endpoint)} is not a URL: write it as https://host[:port] in the S3 credential.`);
	}
}

/** The custom endpoint, or undefined for AWS S3 itself. */
export function endpointOf(options: S3StoreOptions): string | undefined {
	const endpoint = options.endpoint?.trim();
	return endpoint === undefined || endpoint === '' ? undefined : endpoint;
}

/** The endpoint for error messages: the custom one, or the AWS regional one. */
export function describeEndpoint(options: S3StoreOptions): string {
	return endpointOf(options) ?? `https://s3.${options.region}.amazonaws.com`;
}

/** Loads `@aws-sdk/client-s3` on first use (n8n loads every node at start-up) and builds a client. */
export async function openS3Connection(options: S3StoreOptions): Promise<S3Connection> {
	let sdk: S3Connection['sdk'];
	try {
		sdk = await import('@aws-sdk/client-s3');
	} catch (error) {
		throw new StorageError('Cannot load @aws-sdk/client-s3: reinstall the n8n-nodes-durable-agent package.', { cause: error });
	}
	const client = new sdk.S3Client({
		region: options.region,
		endpoint: endpointOf(options),
		forcePathStyle: options.forcePathStyle,
		credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
		maxAttempts,
		requestHandler: { connectionTimeout: connectionTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
		// Optional checksums stay off: several S3-compatible stores reject the SDK's newer default ones.
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
	return { sdk, client };
}
