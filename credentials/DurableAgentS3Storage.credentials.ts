import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * S3-compatible object storage for transcripts, run records and snapshots: AWS S3, Cloudflare R2,
 * MinIO. Its "Test" button is served by the Durable AI Agent node (`testedBy`), because S3 requests
 * need SigV4 signing that a declarative credential test cannot do.
 */
export class DurableAgentS3Storage implements ICredentialType {
	name = 'durableAgentS3Storage';

	displayName = 'Durable Agent: S3-Compatible Storage';

	icon = 'file:s3.svg' as const;

	documentationUrl = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: 'https://<account-id>.r2.cloudflarestorage.com',
			description: 'Leave empty for AWS S3. For R2: https://<account-id>.r2.cloudflarestorage.com. For MinIO: its URL, e.g. http://minio:9000.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: 'us-east-1',
			description: "AWS region of the bucket. R2 uses 'auto'.",
		},
		{ displayName: 'Bucket', name: 'bucket', type: 'string', required: true, default: '' },
		{ displayName: 'Access Key ID', name: 'accessKeyId', type: 'string', required: true, default: '' },
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Force Path Style',
			name: 'forcePathStyle',
			type: 'boolean',
			default: false,
			description: 'Whether to address the bucket as <endpoint>/<bucket> instead of <bucket>.<endpoint>. Turn on for MinIO and most self-hosted servers.',
		},
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			type: 'string',
			default: 'durable-agent',
			description: 'Every object the agent writes goes under this prefix',
		},
	];
}
