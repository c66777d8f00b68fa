import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { checkS3Access } from '../../lib/storage';
import { s3OptionsFromCredential, type S3StorageCredential } from '../AgentNode/store-from-parameters';

/**
 * The "Test" button of the S3-compatible storage credential (`testedBy: 's3StorageTest'`): S3 needs
 * SigV4-signed requests, which a declarative credential test cannot make.
 */
export async function s3StorageTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const result = await checkS3Access(s3OptionsFromCredential(credential.data as unknown as S3StorageCredential));
	return result.ok ? { status: 'OK', message: 'Connection successful' } : { status: 'Error', message: result.message };
}
