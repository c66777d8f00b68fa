import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8nInstalled, startN8n, type N8nInstallation, type RunningN8n } from '../../../scripts/n8n/local-n8n';
import { e2eEnvironment, e2eLogFolder, logProgress, requiredEnvironment } from './e2e-environment';
import { executionReader, type ExecutionReader } from './executions';
import { freePorts } from './free-port';
import { n8nRest, type N8nRest } from './n8n-rest';

/** A real n8n for one suite, with this package installed, an owner account and an API key. */
export type TestN8n = {
	/** `http://127.0.0.1:<port>/` */
	url: string;
	userFolder: string;
	/** A folder for the agents' Local Disk storage, removed with the instance. */
	storageFolder: string;
	/** n8n's output, kept after the run (test-artifacts/e2e-logs). */
	logFile: string;
	rest: N8nRest;
	executions: ExecutionReader;
	/** Stops n8n and starts it again on the same port with the same database. */
	restart(): Promise<void>;
	/** Stops n8n and its task runner and removes its folders; safe to call twice. */
	stop(): Promise<void>;
};

/**
 * Starts n8n on free loopback ports with a new user folder, into which the package installed by
 * global-setup.ts is copied. Call `stop()` in `afterAll`: it also runs when a test failed.
 */
export async function startTestN8n(suiteName: string): Promise<TestN8n> {
	const installation = await ensureN8nInstalled({ root: requiredEnvironment(e2eEnvironment.installRoot), log: () => undefined });
	const folder = mkdtempSync(join(tmpdir(), `durable-agent-e2e-${suiteName}-`));
	const userFolder = join(folder, 'user');
	const storageFolder = join(folder, 'storage');
	mkdirSync(storageFolder, { recursive: true });
	// verbatimSymlinks: npm's relative links must point into the copy, not back into the template.
	cpSync(join(requiredEnvironment(e2eEnvironment.templateUserFolder), '.n8n', 'nodes'), join(userFolder, '.n8n', 'nodes'), {
		recursive: true,
		verbatimSymlinks: true,
	});
	const [port, brokerPort] = await freePorts(2);
	const logFile = join(e2eLogFolder, `${suiteName}-n8n.log`);
	mkdirSync(e2eLogFolder, { recursive: true });
	writeFileSync(logFile, '');

	const start = () => startSuiteN8n(installation, userFolder, port, brokerPort, logFile);
	let n8n: RunningN8n | undefined;
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await n8n?.stop();
		rmSync(folder, { recursive: true, force: true });
	};
	try {
		n8n = await start();
		const rest = n8nRest(n8n.url);
		await rest.setUpOwner();
		const executions = executionReader(n8n.url, await rest.createApiKey());
		return {
			url: n8n.url,
			userFolder,
			storageFolder,
			logFile,
			rest,
			executions,
			async restart() {
				await n8n?.stop();
				n8n = undefined;
				n8n = await start();
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function startSuiteN8n(installation: N8nInstallation, userFolder: string, port: number, brokerPort: number, logFile: string): Promise<RunningN8n> {
	return await startN8n({
		installation,
		userFolder,
		port,
		logFile,
		log: logProgress,
		env: {
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: 'debug',
			// jest sets NODE_ENV=test, which n8n reads as "running n8n's own tests".
			NODE_ENV: undefined,
			// Left over by in-process n8n tests running in the same jest process.
			N8N_LOG_OUTPUT: undefined,
		},
	});
}
