import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real S3-protocol server (s3rver) on a random loopback port. Credentials: S3RVER / S3RVER.
 * s3rver ignores `If-None-Match: *`; AWS S3, R2 and MinIO refuse a conditional put on a taken key
 * with 412. `endpoint` puts a small proxy in front that enforces exactly that (one conditional put
 * per key at a time, checked against s3rver's own store), so tests meet the behaviour this package
 * relies on; `rawEndpoint` is s3rver alone, a store that does not keep the promise.
 */
export type LocalS3 = {
	endpoint: string;
	port: number;
	rawEndpoint: string;
	createBucket(name: string): Promise<void>;
	close(): Promise<void>;
};

type S3rverInstance = {
	run(): Promise<AddressInfo>;
	close(): Promise<void>;
	store: { putBucket(name: string): Promise<void>; existsObject(bucket: string, key: string): Promise<boolean> };
};
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export async function startLocalS3(directory: string, buckets: string[]): Promise<LocalS3> {
	// s3rver ships no type declarations.
	const S3rver = require('s3rver') as S3rverConstructor;
	const server = new S3rver({
		port: 0,
		address: '127.0.0.1',
		silent: true,
		directory,
		configureBuckets: buckets.map((name) => ({ name })),
	});
	const { port: rawPort } = await server.run();
	const proxy = await startConditionalWriteProxy(rawPort, (bucket, key) => server.store.existsObject(bucket, key));
	return {
		endpoint: proxy.endpoint,
		port: Number(new URL(proxy.endpoint).port),
		rawEndpoint: `http://127.0.0.1:${rawPort}`,
		createBucket: (name) => server.store.putBucket(name),
		close: async () => {
			await proxy.close();
			await server.close();
		},
	};
}

/**
 * Forwards every request to `targetPort`; a path-style `PUT /{bucket}/{key}` with `If-None-Match: *`
 * is answered 412 PreconditionFailed when the object exists, as S3 does. Conditional puts to one
 * key are handled one at a time, so two racing writers cannot both see the key free.
 */
function startConditionalWriteProxy(targetPort: number, exists: (bucket: string, key: string) => Promise<boolean>): Promise<RunningServer> {
	const queues = new Map<string, Promise<void>>();
	// Settles once the exchange is over however it ends (answered, client gone, upstream failed), so a
	// key's queue never waits on an exchange that will not finish.
	const forward = (request: http.IncomingMessage, response: http.ServerResponse) =>
		new Promise<void>((resolve) => {
			response.on('close', () => resolve());
			const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers }, (upstreamResponse) => {
				response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
				upstreamResponse.pipe(response);
				upstreamResponse.on('close', () => resolve());
			});
			upstream.on('error', () => {
				response.destroy();
				resolve();
			});
			request.pipe(upstream);
		});
	return listen([], (request, response) => {
		const [, bucket, ...keyParts] = new URL(request.url ?? '/', 'http://localhost').pathname.split('/');
		if (request.method !== 'PUT' || request.headers['if-none-match'] !== '*' || keyParts.length === 0) {
			void forward(request, response);
			return;
		}
		const key = decodeURIComponent(keyParts.join('/'));
		const queueKey = `${bucket}/${key}`;
		const conditionalPut = async () => {
			if (await exists(bucket, key)) {
				request.resume();
				answerError(response, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 'If-None-Match');
				return;
			}
			await forward(request, response);
		};
		const turn = (queues.get(queueKey) ?? Promise.resolve()).then(conditionalPut).catch(() => {
			if (response.headersSent) response.destroy();
			else answerError(response, 500, 'InternalError', 'The test S3 proxy could not check the key');
		});
		queues.set(queueKey, turn);
	});
}

/** One request as it crossed the wire. */
export type RecordedRequest = { method: string; url: string; headers: http.IncomingHttpHeaders };

type RunningServer = { endpoint: string; requests: RecordedRequest[]; close(): Promise<void> };

/** Forwards every request unchanged to `targetPort` and records what the client sent. */
export function startRecordingProxy(targetPort: number): Promise<RunningServer> {
	const requests: RecordedRequest[] = [];
	return listen(requests, (request, response) => {
		const upstream = http.request(
			{ host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers },
			(upstreamResponse) => {
				response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
				upstreamResponse.pipe(response);
			},
		);
		upstream.on('error', () => response.destroy());
		request.pipe(upstream);
	});
}

/**
 * A minimal PutObject endpoint that enforces `If-None-Match: *` the way S3 does: a conditional put
 * on a taken key gets 412 PreconditionFailed, and on a key in `conflictingKeys` (a conditional write
 * still in flight elsewhere) 409 ConditionalRequestConflict, each with S3's XML error body.
 */
export function startConditionalPutEndpoint(conflictingKeys: ReadonlySet<string>): Promise<RunningServer> {
	const requests: RecordedRequest[] = [];
	const takenPaths = new Set<string>();
	return listen(requests, (request, response) => {
		request.resume();
		request.on('end', () => {
			const objectPath = new URL(request.url ?? '/', 'http://localhost').pathname;
			const conditional = request.headers['if-none-match'] === '*';
			if (request.method !== 'PUT') {
				return answerError(response, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
			}
			if (conditional && [...conflictingKeys].some((key) => objectPath.endsWith(`/${key}`))) {
				return answerError(
					response,
					409,
					'ConditionalRequestConflict',
					'A conflicting conditional operation is currently in progress against this resource. Please try again.',
				);
			}
			if (conditional && takenPaths.has(objectPath)) {
				return answerError(response, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 'If-None-Match');
			}
			takenPaths.add(objectPath);
			response.writeHead(200, { ...amazonHeaders(), ETag: `"${randomUUID().replaceAll('-', '')}"`, 'Content-Length': '0' });
			response.end();
		});
	});
}

/** An S3-shaped endpoint that answers every request with one error, for errors s3rver never sends. */
export function startFailingEndpoint(status: number, code: string, message: string): Promise<RunningServer> {
	const requests: RecordedRequest[] = [];
	return listen(requests, (request, response) => {
		request.resume();
		request.on('end', () => answerError(response, status, code, message));
	});
}

/**
 * A minimal ListObjectsV2 endpoint over a fixed set of keys that answers in pages of `pageSize` with
 * S3's XML shape. s3rver cannot page: its continuation tokens use DES, which Node 17+ no longer has.
 */
export function startPagedListEndpoint(bucket: string, keys: readonly string[], pageSize: number): Promise<RunningServer> {
	const requests: RecordedRequest[] = [];
	return listen(requests, (request, response) => {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const prefix = url.searchParams.get('prefix') ?? '';
		const continuationToken = url.searchParams.get('continuation-token');
		const matching = keys.filter((key) => key.startsWith(prefix));
		const start = continuationToken === null ? 0 : Number(Buffer.from(continuationToken, 'base64').toString('utf8'));
		const page = matching.slice(start, start + pageSize);
		const truncated = start + pageSize < matching.length;
		const body = [
			'<?xml version="1.0" encoding="UTF-8"?>\n',
			'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
			`<Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>1000</MaxKeys>`,
			`<IsTruncated>${truncated}</IsTruncated>`,
			continuationToken === null ? '' : `<ContinuationToken>${continuationToken}</ContinuationToken>`,
			truncated ? `<NextContinuationToken>${Buffer.from(String(start + pageSize)).toString('base64')}</NextContinuationToken>` : '',
			...page.map(
				(key) =>
					`<Contents><Key>${escapeXml(key)}</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>&quot;99914b932bd37a50b983c5e7c90ae93b&quot;</ETag><Size>2</Size><StorageClass>STANDARD</StorageClass></Contents>`,
			),
			'</ListBucketResult>',
		].join('');
		response.writeHead(200, { ...amazonHeaders(), 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(body)) });
		response.end(body);
	});
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

function answerError(response: http.ServerResponse, status: number, code: string, message: string, condition?: string): void {
	const requestId = randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase();
	const body = [
		'<?xml version="1.0" encoding="UTF-8"?>\n',
		`<Error><Code>${code}</Code><Message>${message}</Message>`,
		condition === undefined ? '' : `<Condition>${condition}</Condition>`,
		`<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`,
	].join('');
	response.writeHead(status, {
		...amazonHeaders(requestId),
		'Content-Type': 'application/xml',
		'Content-Length': String(Buffer.byteLength(body)),
	});
	response.end(body);
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function amazonHeaders(requestId = randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase()): Record<string, string> {
	return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64'), Server: 'AmazonS3' };
}

async function listen(requests: RecordedRequest[], handle: http.RequestListener): Promise<RunningServer> {
	const server = http.createServer((request, response) => {
		requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
		handle(request, response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		endpoint: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
