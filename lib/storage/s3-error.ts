import { StorageError } from './blob-store';
import { errorCode, errorMessage } from './error-details';

/** What the S3 adapter was doing, for error messages. */
export type S3ErrorContext = {
	operation: 'read' | 'write' | 'list' | 'delete';
	/** The object key or list prefix. */
	key: string;
	bucket: string;
	/** The endpoint as the user configured it (see describeEndpoint). */
	endpoint: string;
};

const credentialCodes = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'InvalidToken', 'ExpiredToken']);
const regionCodes = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);
const networkCodes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED'];
const timeoutNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** GetObject on a key that holds nothing. Only the explicit code counts: a bare 404 may be a wrong endpoint. */
export function isMissingObject(error: unknown): boolean {
	return errorName(error) === 'NoSuchKey';
}

/**
 * A conditional write (`If-None-Match: *`) lost: 412 when the key already holds an object, 409
 * ConditionalRequestConflict when another conditional write to it is in flight and will win.
 */
export function isConditionalWriteRefused(error: unknown): boolean {
	const status = httpStatus(error);
	return status === 412 || errorName(error) === 'PreconditionFailed' || (status === 409 && errorName(error) === 'ConditionalRequestConflict');
}

/** Turns an SDK or network error into a StorageError that says which S3 setting to fix. */
export function toS3StorageError(error: unknown, context: S3ErrorContext): StorageError {
	if (error instanceof StorageError) return error;
	return new StorageError(describe(error, context), { cause: error });
}

function describe(error: unknown, context: S3ErrorContext): string {
	const { bucket, endpoint } = context;
	const name = errorName(error) ?? 'Error';
	const status = httpStatus(error);
	if (name === 'NoSuchBucket') {
		return `S3 bucket "${bucket}" does not exist at endpoint ${endpoint}: create it or fix the bucket name in the S3 credential.`;
	}
	if (credentialCodes.has(name) || status === 401 || status === 403) {
		return `S3 at ${endpoint} refused access to bucket "${bucket}" (${name}): check the access key id and secret in the S3 credential, and that the key may read, write and list this bucket.`;
	}
	if (regionCodes.has(name) || status === 301) {
		return `S3 bucket "${bucket}" at ${endpoint} is in another region (${name}): fix the region in the S3 credential.`;
	}
	const network = networkProblem(error);
	if (network !== undefined) {
		return `Cannot reach S3 endpoint ${endpoint} (${network}): check the endpoint URL in the S3 credential and that the server is running and reachable from n8n.`;
	}
	const statusText = status === undefined ? '' : ` (HTTP ${status})`;
	return `S3 ${context.operation} of "${context.key}" in bucket "${bucket}" at ${endpoint} failed${statusText}: ${name}: ${errorMessage(error)}`;
}

function errorName(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const { name, Code } = error as { name?: unknown; Code?: unknown };
	if (typeof Code === 'string') return Code;
	return typeof name === 'string' ? name : undefined;
}

function httpStatus(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
	const metadata = error.$metadata as { httpStatusCode?: unknown } | undefined;
	return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/**
 * The network failure behind an error. Node wraps parallel connection attempts in an AggregateError,
 * and the SDK wraps errors from another realm in a plain Error that keeps only the text, so the code
 * is also looked for in the message.
 */
function networkProblem(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const code = errorCode(error);
	if (code !== undefined && networkCodes.includes(code)) return code;
	const { name, errors } = error as { name?: unknown; errors?: unknown };
	if (typeof name === 'string' && timeoutNames.has(name)) return 'timed out';
	if (Array.isArray(errors)) {
		for (const inner of errors) {
			const problem = networkProblem(inner);
			if (problem !== undefined) return problem;
		}
	}
	return networkCodes.find((networkCode) => errorMessage(error).includes(networkCode));
}
