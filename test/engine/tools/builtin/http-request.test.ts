import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import { createHttpRequestTool, type HttpRequestResult } from '../../../../lib/engine/tools/builtin/http-request';
import { parseAllowedHosts } from '../../../../lib/engine/tools/builtin/allowed-hosts';
import { resolveRequestTarget, type HostLookup } from '../../../../lib/engine/tools/builtin/resolve-request-target';
import type { Tool } from '../../../../lib/engine/tools/tool';

// Every request in this file goes to 127.0.0.1 or is refused before connecting: there is no other network.
let server: Server;
let origin: string;
let port: number;
let requestsReceived = 0;

const routes: Record<string, (request: IncomingMessage, body: string, response: ServerResponse) => void> = {
	'/echo': (request, body, response) => {
		response.setHeader('content-type', 'application/json');
		response.setHeader('x-internal-trace', 'not reported');
		response.end(JSON.stringify({ method: request.method, headers: request.headers, body }));
	},
	'/big': (_request, _body, response) => {
		response.setHeader('content-type', 'text/plain');
		response.end('x'.repeat(100_000));
	},
	'/endless': (_request, _body, response) => {
		response.setHeader('content-type', 'text/plain');
		const writeMore = () => {
			while (!response.destroyed && response.write('y'.repeat(16_384)));
			if (!response.destroyed) response.once('drain', writeMore);
		};
		writeMore();
	},
	'/page': (_request, _body, response) => {
		response.setHeader('content-type', 'text/html; charset=utf-8');
		response.end('<html><head><title>Status</title><script>alert(1)</script></head><body><h2>All good</h2><p>Uptime: 99.9&#37;</p></body></html>');
	},
	'/gzip': (_request, _body, response) => {
		response.setHeader('content-type', 'text/plain; charset=utf-8');
		response.setHeader('content-encoding', 'gzip');
		response.end(gzipSync('compressed hello'));
	},
	'/binary': (_request, _body, response) => {
		response.setHeader('content-type', 'image/png');
		response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
	},
	'/missing': (_request, _body, response) => {
		response.statusCode = 404;
		response.end('no such thing');
	},
	'/hang': () => undefined,
};

function redirect(response: ServerResponse, status: number, location: string): void {
	response.statusCode = status;
	response.setHeader('location', location);
	response.end();
}

beforeAll(async () => {
	server = createServer((request, response) => {
		requestsReceived += 1;
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://test');
			const body = Buffer.concat(chunks).toString('utf8');
			const hops = /^\/chain\/(\d+)$/.exec(url.pathname);
			if (hops) return Number(hops[1]) === 0 ? redirect(response, 302, '/echo') : redirect(response, 302, `/chain/${Number(hops[1]) - 1}`);
			if (url.pathname === '/to-private') return redirect(response, 302, 'http://10.0.0.5/secret');
			if (url.pathname === '/to-localhost') return redirect(response, 301, `http://localhost:${port}/echo`);
			if (url.searchParams.has('to')) return redirect(response, Number(url.searchParams.get('status') ?? 302), url.searchParams.get('to') ?? '/');
			const route = routes[url.pathname];
			if (route) return route(request, body, response);
			response.statusCode = 500;
			response.end('unknown test route');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
	origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const context = () => ({ toolCallId: 'call-1', signal: new AbortController().signal });

function localTool(overrides: Partial<Parameters<typeof createHttpRequestTool>[0]> = {}): Tool {
	return createHttpRequestTool({ allowedHosts: [`127.0.0.1:${port}`], maxResponseBytes: 10_000, timeoutMs: 5_000, ...overrides });
}

async function call(tool: Tool, input: unknown, signal = context().signal): Promise<HttpRequestResult> {
	return (await tool.execute(input, { toolCallId: 'call-1', signal })) as HttpRequestResult;
}

describe('http_request tool against an allowed local server', () => {
	it('sends a GET with the given headers and reports status, useful headers and body', async () => {
		const result = await call(localTool(), { method: 'GET', url: `${origin}/echo?q=1`, headers: { 'X-Api-Key': 'k1', Host: 'evil.example' } });
		expect(result.status).toBe(200);
		expect(result.truncated).toBe(false);
		expect(result.url).toBe(`${origin}/echo?q=1`);
		expect(Object.keys(result.headers).sort()).toEqual(['content-length', 'content-type']);
		const echoed = JSON.parse(result.body);
		expect(echoed.method).toBe('GET');
		expect(echoed.headers['x-api-key']).toBe('k1');
		expect(echoed.headers.host).toBe(`127.0.0.1:${port}`);
	});

	it('sends a JSON body as JSON and a string body as it is', async () => {
		const json = JSON.parse((await call(localTool(), { method: 'POST', url: `${origin}/echo`, body: { name: 'Ada', tags: [1] } })).body);
		expect(json).toMatchObject({ method: 'POST', body: '{"name":"Ada","tags":[1]}', headers: { 'content-type': 'application/json' } });
		const text = JSON.parse((await call(localTool(), { method: 'PUT', url: `${origin}/echo`, body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).body);
		expect(text).toMatchObject({ method: 'PUT', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	});

	it('returns error statuses as results for the model to read', async () => {
		expect(await call(localTool(), { method: 'GET', url: `${origin}/missing` })).toMatchObject({ status: 404, body: 'no such thing' });
	});

	it('stops reading at the size cap and marks the body truncated', async () => {
		const big = await call(localTool({ maxResponseBytes: 1_000 }), { method: 'GET', url: `${origin}/big` });
		expect(big).toMatchObject({ status: 200, truncated: true });
		expect(big.body).toBe('x'.repeat(1_000));
		const endless = await call(localTool({ maxResponseBytes: 50_000 }), { method: 'GET', url: `${origin}/endless` });
		expect(endless.truncated).toBe(true);
		expect(endless.body.length).toBe(50_000);
	});

	it('converts HTML pages to readable text', async () => {
		expect((await call(localTool(), { method: 'GET', url: `${origin}/page` })).body).toBe('Status\n\n## All good\n\nUptime: 99.9%');
	});

	it('decompresses gzip bodies and describes binary ones instead of returning bytes', async () => {
		expect((await call(localTool(), { method: 'GET', url: `${origin}/gzip` })).body).toBe('compressed hello');
		expect((await call(localTool(), { method: 'GET', url: `${origin}/binary` })).body).toBe('[8 bytes of image/png content, not shown]');
	});

	it('answers HEAD without a body', async () => {
		expect(await call(localTool(), { method: 'HEAD', url: `${origin}/page` })).toMatchObject({ status: 200, body: '', truncated: false });
	});

	it('follows redirects, turning a POST into a GET after 303', async () => {
		const chained = await call(localTool(), { method: 'GET', url: `${origin}/chain/2` });
		expect(chained).toMatchObject({ status: 200, url: `${origin}/echo` });
		const seeOther = await call(localTool(), { method: 'POST', url: `${origin}/start?status=303&to=/echo`, body: { a: 1 } });
		expect(JSON.parse(seeOther.body)).toMatchObject({ method: 'GET', body: '' });
	});

	it('gives up after five redirects', async () => {
		await expect(call(localTool(), { method: 'GET', url: `${origin}/chain/6` })).rejects.toThrow('Stopped after 5 redirects; the last one pointed to /chain/0.');
	});

	it('refuses a redirect to a private address without connecting to it', async () => {
		await expect(call(localTool(), { method: 'GET', url: `${origin}/to-private` })).rejects.toThrow(
			`Refused: ${origin}/to-private redirected to http://10.0.0.5/secret, and 10.0.0.5 is a private address. Add the host to 'Allowed Hosts' in the node if this is intended.`,
		);
	});

	it('refuses a redirect to a host that is not allowed, even on the same machine', async () => {
		await expect(call(localTool(), { method: 'GET', url: `${origin}/to-localhost` })).rejects.toThrow(
			/redirected to http:\/\/localhost:\d+\/echo, and localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
		);
	});

	it('drops credentials when a redirect leaves the origin', async () => {
		const lookup: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];
		const tool = localTool({ allowedHosts: [`127.0.0.1:${port}`, `other.test:${port}`], deps: { lookup } });
		const target = encodeURIComponent(`http://other.test:${port}/echo`);
		const result = await call(tool, { method: 'GET', url: `${origin}/start?to=${target}`, headers: { Authorization: 'Bearer secret', 'X-Keep': 'yes' } });
		const echoed = JSON.parse(result.body);
		expect(echoed.headers.authorization).toBeUndefined();
		expect(echoed.headers['x-keep']).toBe('yes');
	});

	it('connects to the address it checked instead of looking the host up again', async () => {
		const answers = ['127.0.0.1', '127.0.0.2'];
		const lookup = jest.fn<ReturnType<HostLookup>, Parameters<HostLookup>>(async () => [{ address: answers.shift() ?? '127.0.0.2', family: 4 }]);
		const tool = localTool({ allowedHosts: [`pinned.test:${port}`], deps: { lookup } });
		const result = await call(tool, { method: 'GET', url: `http://pinned.test:${port}/echo` });
		expect(JSON.parse(result.body).headers.host).toBe(`pinned.test:${port}`);
		expect(lookup).toHaveBeenCalledTimes(1);
	});

	it('reports a timeout and a cancelled run as errors', async () => {
		await expect(call(localTool({ timeoutMs: 200 }), { method: 'GET', url: `${origin}/hang` })).rejects.toThrow(
			`The request to ${origin}/hang timed out after 200 ms.`,
		);
		const controller = new AbortController();
		const pending = call(localTool(), { method: 'GET', url: `${origin}/hang` }, controller.signal);
		controller.abort();
		await expect(pending).rejects.toThrow('The request was cancelled because the agent run stopped.');
	});

	it('reports a refused connection with the URL it happened on', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const tool = localTool({ allowedHosts: [`127.0.0.1:${closedPort}`] });
		await expect(call(tool, { method: 'GET', url: `http://127.0.0.1:${closedPort}/` })).rejects.toThrow(
			new RegExp(`^The GET request to http://127\\.0\\.0\\.1:${closedPort}/ failed: .*\\(ECONNREFUSED\\)\\.$`),
		);
	});

	it('rejects a body on GET and an invalid URL with a hint', async () => {
		await expect(call(localTool(), { method: 'GET', url: `${origin}/echo`, body: 'x' })).rejects.toThrow('A GET request cannot have a body.');
		await expect(call(localTool(), { method: 'GET', url: '/relative' })).rejects.toThrow("'/relative' is not a valid URL.");
	});
});

describe('http_request tool refusals without an allow-list', () => {
	const refusingTool = (lookup?: HostLookup) =>
		createHttpRequestTool({ allowedHosts: [], maxResponseBytes: 10_000, timeoutMs: 5_000, deps: lookup ? { lookup } : undefined });

	it.each([
		['127.0.0.1', () => `${origin}/echo`, 'Refused: 127.0.0.1 is a loopback address.'],
		['localhost', () => `http://localhost:${port}/echo`, /^Refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address\./],
		['10.x', () => 'http://10.1.2.3/admin', 'Refused: 10.1.2.3 is a private address.'],
		['the metadata address', () => 'http://169.254.169.254/latest/meta-data/', 'Refused: 169.254.169.254 is a cloud metadata address.'],
		['[::1]', () => `http://[::1]:${port}/echo`, 'Refused: ::1 is a loopback address.'],
		['::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${port}/echo`, 'Refused: ::ffff:7f00:1 is a loopback address (IPv4-mapped 127.0.0.1).'],
		['decimal IPv4', () => `http://2130706433:${port}/echo`, 'Refused: 127.0.0.1 is a loopback address.'],
		['6to4 carrying 10.0.0.1', () => 'http://[2002:a00:1::]/admin', 'Refused: 2002:a00:1:: is a private address (6to4 10.0.0.1).'],
		['NAT64 carrying 10.0.0.1', () => 'http://[64:ff9b::a00:1]/admin', 'Refused: 64:ff9b::a00:1 is a private address (NAT64 10.0.0.1).'],
		['local-use NAT64', () => 'http://[64:ff9b:1::a00:1]/admin', 'Refused: 64:ff9b:1::a00:1 is a local-use NAT64 address.'],
		['IPv4-translated 127.0.0.1', () => `http://[::ffff:0:7f00:1]:${port}/echo`, 'Refused: ::ffff:0:7f00:1 is a loopback address (IPv4-translated 127.0.0.1).'],
		['Teredo', () => 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'Refused: 2001:0:4136:e378:8000:63bf:3fff:fdd2 is a Teredo tunnel address.'],
		['the metadata hostname', () => 'http://metadata.google.internal/computeMetadata/v1/', 'Refused: metadata.google.internal is a cloud metadata endpoint.'],
	])('refuses %s before sending anything', async (_label, url, message) => {
		const before = requestsReceived;
		await expect(call(refusingTool(), { method: 'GET', url: url() })).rejects.toThrow(message);
		expect(requestsReceived).toBe(before);
	});

	it('refuses a hostname whose DNS answer is private, with advice for the author', async () => {
		const lookup: HostLookup = async () => [{ address: '10.0.0.5', family: 4 }];
		await expect(call(refusingTool(lookup), { method: 'GET', url: 'https://api.internal/v1/users' })).rejects.toThrow(
			"Refused: api.internal resolves to 10.0.0.5, a private address. Add the host to 'Allowed Hosts' in the node if this is intended.",
		);
	});

	it('refuses when any one of the resolved addresses is internal', async () => {
		const lookup: HostLookup = async () => [
			{ address: '93.184.215.14', family: 4 },
			{ address: 'fd00:ec2::254', family: 6 },
		];
		await expect(call(refusingTool(lookup), { method: 'GET', url: 'http://mixed.example/' })).rejects.toThrow(
			'Refused: mixed.example resolves to fd00:ec2::254, a cloud metadata address.',
		);
	});

	it('refuses a hostname whose DNS answer is a 6to4 address carrying the metadata address', async () => {
		const lookup: HostLookup = async () => [{ address: '2002:a9fe:a9fe::1', family: 6 }];
		await expect(call(refusingTool(lookup), { method: 'GET', url: 'http://tunnel.example/' })).rejects.toThrow(
			'Refused: tunnel.example resolves to 2002:a9fe:a9fe::1, a cloud metadata address (6to4 169.254.169.254).',
		);
	});

	it('lets the author allow a transition address, and lets public ones through', async () => {
		const lookup: HostLookup = async () => [{ address: '2002:808:808::1', family: 6 }];
		const policy = (allowedHosts: string[]) => ({ allowedHosts: parseAllowedHosts(allowedHosts), lookup, signal: new AbortController().signal });

		await expect(resolveRequestTarget(new URL('http://[2002:a00:1::]/admin'), policy(['[2002:a00:1::]']))).resolves.toEqual([
			{ address: '2002:a00:1::', family: 6 },
		]);
		await expect(resolveRequestTarget(new URL('http://[64:ff9b:1::a00:1]:8080/'), policy(['[64:ff9b:1::a00:1]:8080']))).resolves.toEqual([
			{ address: '64:ff9b:1::a00:1', family: 6 },
		]);
		await expect(resolveRequestTarget(new URL('http://[2002:a00:1::]/admin'), policy(['[2002:a00:2::]']))).rejects.toThrow(
			'Refused: 2002:a00:1:: is a private address (6to4 10.0.0.1).',
		);
		await expect(resolveRequestTarget(new URL('http://public-6to4.example/'), policy([]))).resolves.toEqual([{ address: '2002:808:808::1', family: 6 }]);
	});

	it('refuses schemes other than http and https', async () => {
		await expect(call(refusingTool(), { method: 'GET', url: 'file:///etc/passwd' })).rejects.toThrow(
			"Refused: only http and https URLs can be requested, not 'file:'. Use an http or https URL.",
		);
	});

	it('reports a host that does not resolve', async () => {
		const lookup: HostLookup = async () => {
			throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
		};
		await expect(call(refusingTool(lookup), { method: 'GET', url: 'http://nowhere.test/' })).rejects.toThrow(
			"Could not resolve host 'nowhere.test' (ENOTFOUND). Check the URL.",
		);
	});
});

describe('http_request tool definition', () => {
	it('advertises a schema the model can follow and refuses bad configuration', () => {
		const tool = createHttpRequestTool({ allowedHosts: [], maxResponseBytes: 1_000, timeoutMs: 1_000 });
		expect(tool.name).toBe('http_request');
		expect(tool.concurrencySafe).toBe(false);
		expect(tool.inputSchema).toMatchObject({
			type: 'object',
			required: ['method', 'url'],
			additionalProperties: false,
			properties: { method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] } },
		});
		expect(tool.inputSchema.$schema).toBeUndefined();
		expect(() => createHttpRequestTool({ allowedHosts: ['bad host:x'], maxResponseBytes: 1, timeoutMs: 1 })).toThrow("'Allowed Hosts' entry");
	});
});
