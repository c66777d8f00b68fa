import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Ports n8n must not take: the README's default instance (and its task runner broker). */
const reservedPorts = new Set([5678, 5679]);

/** A loopback port nothing listens on right now, chosen by the operating system. */
async function freePort(): Promise<number> {
	for (;;) {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		if (!reservedPorts.has(port)) return port;
	}
}

/** `count` distinct free loopback ports. */
export async function freePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}
