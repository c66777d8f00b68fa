import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import type { S3StorageCredential } from '../AgentNode/store-from-parameters';

/**
 * The "Test" button of the S3-compatible storage credential (`testedBy: 's3StorageTest'`): S3 needs
 * SigV4-signed requests, which a declarative credential test cannot make. Storage code loads on
 * first use, not when n8n loads the node.
 */
export async function s3StorageTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const [{ checkS3Access }, { s3OptionsFromCredential }] = await Promise.all([import('../../lib/storage'), import('../AgentNode/store-from-parameters')]);
	const result = await checkS3Access(s3OptionsFromCredential(credential.data as unknown as S3StorageCredential));
	return result.ok ? { status: 'OK', message: 'Connection successful' } : { status: 'Error', message: result.message };
}
