import { lookup as dnsLookup } from 'node:dns/promises';
import { z } from 'zod/v4';

import type { Tool } from '../tool';
import { parseAllowedHosts } from './allowed-hosts';
import { resolveRequestTarget, type HostLookup, type RequestTargetPolicy } from './resolve-request-target';
import { responseText } from './response-text';
import { sendPinnedRequest, type PinnedResponse } from './send-pinned-request';
import { toolInputSchema } from './tool-input-schema';

export type HttpRequestToolOptions = {
	/** Hosts the model may reach even though they are internal: `api.internal`, `*.corp.example`, `127.0.0.1:8080`. */
	allowedHosts: string[];
	/** The body is cut here (after decompression) and the result marked `truncated`. */
	maxResponseBytes: number;
	/** For the whole call: DNS, every redirect and reading the body. */
	timeoutMs: number;
	deps?: { lookup?: HostLookup };
};

/** What the model gets back. Non-2xx statuses are results too: the model decides what they mean. */
export type HttpRequestResult = {
	status: number;
	/** The final URL, after redirects. */
	url: string;
	headers: Record<string, string>;
	body: string;
	truncated: boolean;
};

const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const reportedHeaders = ['content-type', 'content-length', 'location', 'retry-after'];
/** Headers this tool controls; a model-supplied value would be wrong or unsafe. */
const controlledHeaders = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'accept-encoding']);
const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];

const httpRequestInput = z
	.object({
		method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).describe('The HTTP method.'),
		url: z.string().describe('An absolute http or https URL, including any query string.'),
		headers: z.record(z.string(), z.string()).optional().describe('Request headers, for example {"Accept": "application/json"}.'),
		body: z
			.unknown()
			.optional()
			.describe('The request body. A string is sent as it is; any other JSON value is sent as JSON with Content-Type application/json. Not allowed with GET or HEAD.'),
	})
	.strict();

type HttpRequestInput = z.infer<typeof httpRequestInput>;

/** One request of the redirect chain. */
type Hop = { url: URL; method: string; headers: Record<string, string>; body?: Buffer };

const systemLookup: HostLookup = async (hostname) =>
	(await dnsLookup(hostname, { all: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/**
 * The built-in `http_request` tool. Requests to internal addresses (private, loopback, link-local,
 * cloud metadata…) are refused unless the host is in `allowedHosts`; every redirect is checked
 * again, and connections go only to the addresses that were checked. Refusals, timeouts and
 * network errors are thrown, for the engine to return to the model as tool errors.
 */
export function createHttpRequestTool(options: HttpRequestToolOptions): Tool {
	const allowedHosts = parseAllowedHosts(options.allowedHosts);
	if (!(options.maxResponseBytes > 0) || !(options.timeoutMs > 0)) {
		throw new Error('The HTTP request tool needs a maximum response size and a timeout greater than 0.');
	}
	const lookup = options.deps?.lookup ?? systemLookup;
	return {
		name: 'http_request',
		description:
			'Send an HTTP request and get back the status, the main response headers and the body as text (HTML pages are converted to readable text, with links). ' +
			`Bodies longer than ${options.maxResponseBytes} bytes are cut off and marked truncated. ` +
			'Requests to private or internal network addresses are refused unless the workflow allows the host.',
		inputSchema: toolInputSchema(httpRequestInput),
		// Not concurrency-safe, although the tool shares no state between calls: one flag covers all
		// methods, and a model that writes "POST then PUT" in one turn expects them to land in that
		// order. Running reads one by one costs time; reordering writes could corrupt remote data.
		concurrencySafe: false,
		async execute(rawInput, context) {
			const input = httpRequestInput.parse(rawInput);
			const signal = AbortSignal.any([context.signal, AbortSignal.timeout(options.timeoutMs)]);
			const policy: RequestTargetPolicy = { allowedHosts, lookup, signal };
			try {
				return await followRedirects(firstHop(input), policy, options.maxResponseBytes);
			} catch (error) {
				if (!signal.aborted) throw error;
				if (context.signal.aborted) throw new Error('The request was cancelled because the agent run stopped.');
				throw new Error(`The request to ${input.url} timed out after ${options.timeoutMs} ms.`);
			}
		},
	};
}

async function followRedirects(start: Hop, policy: RequestTargetPolicy, maxResponseBytes: number): Promise<HttpRequestResult> {
	let hop = start;
	let previous: Hop | undefined;
	for (let redirects = 0; ; redirects += 1) {
		const context = previous ? `${previous.url.href} redirected to ${hop.url.href}, and ` : '';
		const addresses = await resolveRequestTarget(hop.url, policy, context);
		const response = await send(() => sendPinnedRequest({ ...hop, addresses, signal: policy.signal }), hop);
		const location = response.headers.location;
		if (!redirectStatuses.has(response.status) || location === undefined) return await toResult(response, hop, maxResponseBytes);
		response.discard();
		if (redirects === maxRedirects) throw new Error(`Stopped after ${maxRedirects} redirects; the last one pointed to ${location}.`);
		previous = hop;
		hop = redirectedHop(hop, response.status, location);
	}
}

function firstHop(input: HttpRequestInput): Hop {
	let url: URL;
	try {
		url = new URL(input.url);
	} catch {
		throw new Error(`'${input.url}' is not a valid URL. Use an absolute http or https URL such as https://example.com/path.`);
	}
	const headers: Record<string, string> = { 'user-agent': 'n8n-nodes-durable-agent', accept: '*/*' };
	for (const [name, value] of Object.entries(input.headers ?? {})) {
		const lowerName = name.toLowerCase();
		if (!controlledHeaders.has(lowerName)) headers[lowerName] = value;
	}
	if (input.body === undefined || input.body === null) return { url, method: input.method, headers };
	if (input.method === 'GET' || input.method === 'HEAD') {
		throw new Error(`A ${input.method} request cannot have a body. Put the data in the URL's query string, or use POST.`);
	}
	const isText = typeof input.body === 'string';
	headers['content-type'] ??= isText ? 'text/plain; charset=utf-8' : 'application/json';
	return { url, method: input.method, headers, body: Buffer.from(isText ? (input.body as string) : JSON.stringify(input.body)) };
}

/** Follows the browser rules: 303 (and 301/302 after POST) turn into GET; credentials stay on their origin. */
function redirectedHop(hop: Hop, status: number, location: string): Hop {
	let url: URL;
	try {
		url = new URL(location, hop.url);
	} catch {
		throw new Error(`${hop.url.href} redirected to an invalid URL: ${location}`);
	}
	const headers = { ...hop.headers };
	if (url.origin !== hop.url.origin) for (const name of credentialHeaders) delete headers[name];
	const becomesGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
	if (!becomesGet) return { url, method: hop.method, headers, body: hop.body };
	delete headers['content-type'];
	return { url, method: 'GET', headers };
}

async function toResult(response: PinnedResponse, hop: Hop, maxResponseBytes: number): Promise<HttpRequestResult> {
	const headers: Record<string, string> = {};
	for (const name of reportedHeaders) {
		const value = response.headers[name];
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	if (hop.method === 'HEAD') {
		response.discard();
		return { status: response.status, url: hop.url.href, headers, body: '', truncated: false };
	}
	const { bytes, truncated } = await send(() => response.readBody(maxResponseBytes), hop);
	const body = responseText(bytes, headers['content-type'], hop.url.href);
	return { status: response.status, url: hop.url.href, headers, body, truncated };
}

/** Network errors carry a code (ECONNREFUSED, CERT_HAS_EXPIRED…); they get the URL they happened on. */
async function send<T>(operation: () => Promise<T>, hop: Hop): Promise<T> {
	try {
		return await operation();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (typeof code !== 'string' || code === 'ABORT_ERR') throw error;
		throw new Error(`The ${hop.method} request to ${hop.url.href} failed: ${(error as Error).message} (${code}).`);
	}
}
