import { fork, type ChildProcess } from 'node:child_process';

import { childExecArgv, childScript } from './child-script';
import type { InstantServerConfiguration } from './instant-llm-server';

/** A running instant LLM server process. */
export type InstantServer = {
	/** For `createOpenAI({ baseURL })` and the engine's adapter: ends in `/v1`. */
	baseUrl: string;
	close(): Promise<void>;
};

/** Starts instant-llm-server in its own process and waits until it listens. */
export async function startInstantServer(configuration: InstantServerConfiguration): Promise<InstantServer> {
	const child = fork(childScript(__dirname, 'instant-llm-server'), [JSON.stringify(configuration)], {
		execArgv: childExecArgv,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const port = await new Promise<number>((resolve, reject) => {
		child.once('message', (message) => resolve((message as { port: number }).port));
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`The instant LLM server exited with code ${code} before listening.`)));
	});
	return { baseUrl: `http://127.0.0.1:${port}/v1`, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.disconnect();
	});
}
