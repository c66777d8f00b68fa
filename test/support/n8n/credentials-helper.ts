import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IHttpRequestOptions,
	INodeCredentialsDetails,
	INodeProperties,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

/** Decrypted credential data by credential type name, e.g. `{ anthropicApi: { apiKey: '…' } }`. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

/**
 * Answers `this.getCredentials(type)` with the test's plain data, as n8n's real helper does after
 * decrypting the stored credential. Everything a node should not need in these tests throws, so
 * a test never passes on a silent stand-in.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentialsByType: TestCredentials) {
		super();
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentialsByType[type];
		if (data === undefined) {
			throw new Error(`The test gave no credentials of type "${type}"; pass them in runWorkflow's "credentials".`);
		}
		return structuredClone(data);
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}

	async authenticate(): Promise<IHttpRequestOptions> {
		throw unsupported('authenticate requests with a credential type');
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		throw unsupported('run credential pre-authentication');
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		throw unsupported('run credential pre-authentication');
	}

	async getCredentials(): Promise<ICredentials> {
		throw unsupported('read encrypted credentials');
	}

	async updateCredentials(): Promise<void> {
		throw unsupported('update credentials');
	}

	async updateCredentialsOauthTokenData(): Promise<void> {
		throw unsupported('update OAuth token data');
	}
}

function unsupported(action: string): Error {
	return new Error(`The in-process test runner cannot ${action}.`);
}
