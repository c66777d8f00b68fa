import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { createLocalDiskStore, createS3Store, type BlobStore } from '../../lib/storage';

/** The credential fields of the S3-compatible storage credential. */
export type S3StorageCredential = {
	endpoint?: string;
	region?: string;
	bucket: string;
	accessKeyId: string;
	secretAccessKey: string;
	forcePathStyle?: boolean;
	keyPrefix?: string;
};

export type ConfiguredStore = { store: BlobStore; prefix: string };

export function s3OptionsFromCredential(credential: S3StorageCredential) {
	return {
		endpoint: credential.endpoint?.trim() || undefined,
		region: credential.region?.trim() || 'us-east-1',
		bucket: credential.bucket.trim(),
		accessKeyId: credential.accessKeyId,
		secretAccessKey: credential.secretAccessKey,
		forcePathStyle: credential.forcePathStyle ?? false,
	};
}

/** The store chosen in the node: local disk under the n8n user folder by default, or S3 through its credential. */
export async function storeFromParameters(context: IExecuteFunctions): Promise<ConfiguredStore> {
	if (context.getNodeParameter('storage', 0) === 's3') {
		const credential = await context.getCredentials<S3StorageCredential>('durableAgentS3Storage');
		return { store: createS3Store(s3OptionsFromCredential(credential)), prefix: credential.keyPrefix ?? '' };
	}
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	return { store: createLocalDiskStore(localFolder(String(options.localFolder ?? ''))), prefix: '' };
}

/** `~/.n8n/durable-agent`, following N8N_USER_FOLDER the way n8n finds its own folder. */
function localFolder(configured: string): string {
	if (configured.trim() !== '') return resolve(configured.trim().replace(/^~(?=$|\/)/, homedir()));
	return join(process.env.N8N_USER_FOLDER ?? homedir(), '.n8n', 'durable-agent');
}
