import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type * as LocalN8n from '../../scripts/n8n/local-n8n';
import { freePorts } from '../../test/e2e/support/free-port';
import { n8nRest, type N8nRest } from '../../test/e2e/support/n8n-rest';
import { packageRoot } from '../support/machine';

/** A real n8n with this package installed and an owner signed in, for one benchmark section. */
export type BenchN8n = {
	url: string;
	rest: N8nRest;
	/** A folder for Durable AI Agent's Local Disk storage, removed with the instance. */
	storageFolder: string;
	/** n8n's output, kept after the run. */
	logFile: string;
	stop(): Promise<void>;
};

/**
 * The local n8n toolkit (plain CommonJS under scripts/) is required from the repository root rather
 * than by a relative import, which would point into dist-bench/ once the bench is compiled.
 */
function localN8n(): typeof LocalN8n {
	return require(join(packageRoot(), 'scripts', 'n8n', 'local-n8n.js')) as typeof LocalN8n;
}

/**
 * Starts the pinned n8n (installed once per machine, as for the end-to-end suite) on free loopback
 * ports with a new user folder, into which this package is installed the way users install it: the
 * built dist/ packed and installed with npm. `npm run bench` builds dist/ first.
 */
export async function startBenchN8n(name: string, log: (line: string) => void): Promise<BenchN8n> {
	const toolkit = localN8n();
	const installation = await toolkit.ensureN8nInstalled({ root: toolkit.defaultInstallRoot(), log });
	const folder = mkdtempSync(join(tmpdir(), `durable-agent-bench-${name}-`));
	const userFolder = join(folder, 'user');
	const storageFolder = join(folder, 'storage');
	mkdirSync(storageFolder, { recursive: true });
	const logFolder = join(packageRoot(), 'test-artifacts', 'bench-logs');
	mkdirSync(logFolder, { recursive: true });
	const logFile = join(logFolder, `${name}-n8n.log`);

	let running: LocalN8n.RunningN8n | undefined;
	const stop = async () => {
		await running?.stop();
		running = undefined;
		rmSync(folder, { recursive: true, force: true });
	};
	try {
		execFileSync('npm', ['pack', '--silent', '--pack-destination', folder], { cwd: packageRoot(), stdio: ['ignore', 'ignore', 'inherit'] });
		const [tarball] = readdirSync(folder).filter((file) => file.endsWith('.tgz'));
		await toolkit.installPackage({ userFolder, tarball: join(folder, tarball), log, logFile: join(logFolder, `${name}-package-install.log`) });
		const [port, brokerPort] = await freePorts(2);
		running = await toolkit.startN8n({
			installation,
			userFolder,
			port,
			logFile,
			log,
			// Jest (the smoke test) sets NODE_ENV=test, which n8n reads as "running n8n's own tests".
			env: { N8N_RUNNERS_BROKER_PORT: String(brokerPort), N8N_LOG_LEVEL: 'warn', NODE_ENV: undefined },
		});
		const rest = n8nRest(running.url);
		await rest.setUpOwner();
		return { url: running.url, rest, storageFolder, logFile, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
