import { createServer, type Server } from 'node:net';

import { assertPortsFree, findFreePortPair } from '../../../scripts/n8n/local-n8n';

/** A neighbour listening on 127.0.0.1, on a port the system picks. */
async function listenOnSomePort(): Promise<{ server: Server; port: number }> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('The neighbour has no port.');
	return { server, port: address.port };
}

async function close(server: Server): Promise<void> {
	await new Promise((resolve) => server.close(resolve));
}

describe('the local n8n’s port check, right before n8n starts', () => {
	it('names the task runner broker’s port when a neighbour holds it', async () => {
		const neighbour = await listenOnSomePort();
		const free = await listenOnSomePort();
		await close(free.server);
		try {
			await expect(assertPortsFree({ port: free.port, env: { N8N_RUNNERS_BROKER_PORT: String(neighbour.port) } })).rejects.toMatchObject({
				code: 'PORT_TAKEN',
				port: neighbour.port,
				message: `Port ${neighbour.port} on 127.0.0.1 is taken (EADDRINUSE): n8n's task runner broker needs it.`,
			});
		} finally {
			await close(neighbour.server);
		}
	});

	it('names n8n’s own port when a neighbour holds it', async () => {
		const neighbour = await listenOnSomePort();
		try {
			await expect(assertPortsFree({ port: neighbour.port })).rejects.toMatchObject({
				code: 'PORT_TAKEN',
				message: `Port ${neighbour.port} on 127.0.0.1 is taken (EADDRINUSE): n8n needs it.`,
			});
		} finally {
			await close(neighbour.server);
		}
	});

	it('suggests a PORT whose next port is free too, skipping the neighbour', async () => {
		const neighbour = await listenOnSomePort();
		try {
			const suggestion = await findFreePortPair(neighbour.port - 1);

			expect(suggestion).toBeDefined();
			expect([suggestion, (suggestion ?? 0) + 1]).not.toContain(neighbour.port);
			await expect(assertPortsFree({ port: suggestion })).resolves.toBeUndefined();
		} finally {
			await close(neighbour.server);
		}
	});
});
