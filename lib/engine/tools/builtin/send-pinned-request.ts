import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';

import type { ResolvedAddress } from './resolve-request-target';

/** One HTTP exchange, to be sent only to `addresses`, which the caller has already vetted. */
export type PinnedRequest = {
	url: URL;
	method: string;
	/** Lower-case header names. `host` and `accept-encoding` are set here, whatever the caller gives. */
	headers: Record<string, string>;
	body?: Buffer;
	addresses: readonly ResolvedAddress[];
	signal: AbortSignal;
};

/** A response whose body has not been read yet: read it with a size cap, or discard it. */
export type PinnedResponse = {
	status: number;
	headers: http.IncomingHttpHeaders;
	readBody(maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }>;
	discard(): void;
};

/** The encodings the request advertises and the body reader decodes; any other is passed through as it came. */
const acceptedEncodings = 'gzip, deflate, br';
const decoderByContentEncoding: Readonly<Record<string, () => Transform>> = {
	gzip: () => zlib.createGunzip(),
	'x-gzip': () => zlib.createGunzip(),
	deflate: () => zlib.createInflate(),
	br: () => zlib.createBrotliDecompress(),
};

/**
 * Sends a request with node:http(s) whose DNS lookup is replaced by the addresses that were
 * checked. This is what defeats DNS rebinding: a hostname that answered with a public address
 * during the check and a private one a moment later is never looked up a second time. The
 * hostname itself still goes into the Host header and TLS (SNI and certificate verification), so
 * HTTPS works unchanged. `agent: false` gives every request its own connection, so a pooled
 * socket opened elsewhere in n8n to an unchecked address is never reused. node:http rather than
 * fetch: Node's fetch only takes a custom lookup through an undici `Agent`, and undici is not a
 * dependency of this package (the one inside Node is not importable).
 */
export function sendPinnedRequest(request: PinnedRequest): Promise<PinnedResponse> {
	const { url } = request;
	const transport = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const outgoing = transport.request(
			{
				protocol: url.protocol,
				hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
				port: url.port === '' ? undefined : Number(url.port),
				path: `${url.pathname}${url.search}`,
				method: request.method,
				headers: { ...request.headers, host: url.host, 'accept-encoding': acceptedEncodings },
				auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
				lookup: pinnedLookup(request.addresses),
				agent: false,
				signal: request.signal,
			},
			(response) => resolve(pendingResponse(response)),
		);
		outgoing.on('error', reject);
		outgoing.end(request.body);
	});
}

function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
	return (_hostname, options, callback) => {
		if (options.all) callback(null, addresses.map(({ address, family }) => ({ address, family })));
		else callback(null, addresses[0].address, addresses[0].family);
	};
}

function pendingResponse(response: http.IncomingMessage): PinnedResponse {
	return {
		status: response.statusCode ?? 0,
		headers: response.headers,
		readBody: (maxBytes) => readCapped(response, maxBytes),
		discard: () => response.destroy(),
	};
}

/**
 * Reads at most `maxBytes` of the decoded body and then closes the connection, so a huge or
 * endless response (or a compression bomb) costs no more than the cap.
 */
async function readCapped(response: http.IncomingMessage, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	let truncated = false;
	try {
		for await (const chunk of decoded(response) as AsyncIterable<Buffer>) {
			const room = maxBytes - size;
			if (chunk.length > room) {
				chunks.push(chunk.subarray(0, room));
				truncated = true;
				break;
			}
			chunks.push(chunk);
			size += chunk.length;
		}
	} finally {
		response.destroy();
	}
	return { bytes: Buffer.concat(chunks), truncated };
}

function decoded(response: http.IncomingMessage): Readable {
	const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
	const createDecoder = Object.hasOwn(decoderByContentEncoding, encoding) ? decoderByContentEncoding[encoding] : undefined;
	if (!createDecoder) return response;
	// Errors surface through the decoder the body is read from; the callback only has to exist.
	return pipeline(response, createDecoder(), () => undefined);
}
