import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { createLocalDiskStore, createVerifiedS3Store, type BlobStore } from '../../lib/storage';

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

/** `warning`: a configuration that works here but will lose runs elsewhere (local disk in queue mode). */
export type ConfiguredStore = { store: BlobStore; prefix: string; warning?: string };

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

/**
 * The store chosen in the node: local disk under the n8n user folder by default, or S3 through its
 * credential. Works in `execute()` and in `webhook()` (the Resume node's approval page).
 */
export async function storeFromParameters(context: IExecuteFunctions | IWebhookFunctions): Promise<ConfiguredStore> {
	if (nodeParameter(context, 'storage', 'localDisk') === 's3') {
		const credential = await context.getCredentials<S3StorageCredential>('durableAgentS3Storage');
		const prefix = credential.keyPrefix ?? '';
		return { store: createVerifiedS3Store(s3OptionsFromCredential(credential), prefix), prefix };
	}
	const options = nodeParameter(context, 'options', {}) as IDataObject;
	return { store: createLocalDiskStore(localFolder(String(options.localFolder ?? ''))), prefix: '', warning: queueModeWarning() };
}

/**
 * In queue mode a paused run may continue on another worker, on another machine, where this
 * machine's disk is not: its snapshot and transcript would be missing there.
 */
function queueModeWarning(): string | undefined {
	if (process.env.EXECUTIONS_MODE !== 'queue') return undefined;
	return 'n8n runs in queue mode, but this node stores runs on local disk. Workers on other machines cannot see them, so paused runs may fail to continue. Choose S3-Compatible storage.';
}

/** Storage parameters are not per item: an execute context reads them at item 0; a webhook context has no items. */
function nodeParameter(context: IExecuteFunctions | IWebhookFunctions, name: string, fallback: unknown): unknown {
	if ('getRequestObject' in context) return context.getNodeParameter(name, fallback);
	return context.getNodeParameter(name, 0, fallback);
}

/** `~/.n8n/durable-agent`, following N8N_USER_FOLDER the way n8n finds its own folder. */
function localFolder(configured: string): string {
	if (configured.trim() !== '') return resolve(configured.trim().replace(/^~(?=$|\/)/, homedir()));
	return join(process.env.N8N_USER_FOLDER ?? homedir(), '.n8n', 'durable-agent');
}
