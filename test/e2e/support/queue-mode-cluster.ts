import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8nInstalled, startN8n, type N8nEnvironmentOverrides, type RunningN8n } from '../../../scripts/n8n/local-n8n';
import { e2eEnvironment, e2eLogFolder, logProgress, requiredEnvironment } from './e2e-environment';
import { executionReader, type ExecutionReader } from './executions';
import { freePorts } from './free-port';
import { n8nRest, type N8nRest } from './n8n-rest';
import { createDatabase, deleteRedisKeys, dropDatabase, queueServices } from './queue-services';

/** One n8n process of the cluster. */
export type QueueProcess = {
	role: 'main' | 'webhook' | 'worker';
	/** `main`, `webhook`, `worker-1`, … (also the name of its log file). */
	name: string;
	/** Its HTTP server: the editor and API (main), webhooks (webhook), health checks (worker). */
	url: string;
	pid: number;
	/** What the package stamps on the records this process writes: `${hostname}:${pid}`. */
	processLabel: string;
	logFile: string;
	/** Kills the process outright (SIGKILL, its pid only), as a crash or an OOM kill would. */
	kill(): void;
	exited: RunningN8n['exited'];
};

/** A queue-mode n8n: PostgreSQL, Redis, one main, one webhook process and two workers sharing one user folder. */
export type QueueModeCluster = {
	main: QueueProcess;
	webhook: QueueProcess;
	workers: QueueProcess[];
	/** The editor's REST API and the public API, on the main process. */
	rest: N8nRest;
	executions: ExecutionReader;
	/** A folder for Local Disk storage (only the warning check uses it: queue mode wants shared storage). */
	storageFolder: string;
	/** Stops every process, drops the database and deletes the suite's Redis keys; safe to call twice. */
	stop(): Promise<void>;
};

/**
 * Bull's lock settings for the crash test: a killed worker's job is found stalled (and its
 * execution failed by n8n) after about 40 s instead of about 110 s with n8n's defaults.
 */
const fastStallDetection = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

const workerCount = 2;

/**
 * Starts the cluster the way a production queue-mode set-up runs, with this package installed once
 * in the shared user folder (copied from global-setup.ts's packed install) and one encryption key.
 * Main starts first (it creates the database schema), then the webhook process and the workers
 * together. Call `stop()` in `afterAll`: it also runs when a test failed.
 */
export async function startQueueModeCluster(suiteName: string): Promise<QueueModeCluster> {
	const installation = await ensureN8nInstalled({ root: requiredEnvironment(e2eEnvironment.installRoot), log: () => undefined });
	const folder = mkdtempSync(join(tmpdir(), `durable-agent-e2e-${suiteName}-`));
	const userFolder = join(folder, 'user');
	const storageFolder = join(folder, 'storage');
	mkdirSync(storageFolder, { recursive: true });
	// verbatimSymlinks: npm's relative links must point into the copy, not back into the template.
	cpSync(join(requiredEnvironment(e2eEnvironment.templateUserFolder), '.n8n', 'nodes'), join(userFolder, '.n8n', 'nodes'), { recursive: true, verbatimSymlinks: true });
	mkdirSync(e2eLogFolder, { recursive: true });

	// Unique per run, so a leftover of a killed run (or a second run on the machine) never collides.
	const runTag = randomBytes(4).toString('hex');
	const database = `durable_agent_e2e_${runTag}`;
	const redisPrefix = `durable-agent-e2e-${runTag}`;
	const [mainPort, webhookPort, ...otherPorts] = await freePorts(2 + workerCount + 2 + workerCount);
	const brokerPorts = otherPorts.slice(workerCount);
	const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	const common: N8nEnvironmentOverrides = {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: queueServices.postgres.host,
		DB_POSTGRESDB_PORT: String(queueServices.postgres.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: queueServices.postgres.user,
		DB_POSTGRESDB_PASSWORD: queueServices.postgres.password,
		DB_POSTGRESDB_SCHEMA: 'public',
		QUEUE_BULL_REDIS_HOST: queueServices.redis.host,
		QUEUE_BULL_REDIS_PORT: String(queueServices.redis.port),
		QUEUE_BULL_PREFIX: redisPrefix,
		N8N_REDIS_KEY_PREFIX: redisPrefix,
		N8N_CACHE_REDIS_KEY_PREFIX: `${redisPrefix}-cache`,
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Workers build `$execution.resumeUrl` from it: approval links go to the webhook process.
		N8N_WEBHOOK_URL: webhookUrl,
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		// With n8n's default of 0, main kept some finished executions marked running in memory.
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
		...fastStallDetection,
		// A killed worker's run reads as interrupted 10 s after its last heartbeat (default 60 s), well before n8n fails its job.
		DURABLE_AGENT_RUN_LEASE_SECONDS: '10',
		N8N_LOG_LEVEL: 'debug',
		// jest sets NODE_ENV=test, which n8n reads as "running n8n's own tests".
		NODE_ENV: undefined,
		// Left over by in-process n8n tests running in the same jest process.
		N8N_LOG_OUTPUT: undefined,
	};

	const processes: Array<{ process: QueueProcess; running: RunningN8n }> = [];
	const start = async (role: QueueProcess['role'], name: string, port: number, brokerPort: number, env: N8nEnvironmentOverrides = {}) => {
		const logFile = join(e2eLogFolder, `${suiteName}-${name}.log`);
		writeFileSync(logFile, '');
		const running = await startN8n({
			installation,
			userFolder,
			command: role === 'main' ? 'start' : role,
			port,
			logFile,
			log: logProgress,
			env: { ...common, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env },
		});
		const process: QueueProcess = {
			role,
			name,
			url: running.url,
			pid: running.pid,
			processLabel: `${hostname()}:${running.pid}`,
			logFile,
			exited: running.exited,
			kill: () => killProcess(running.pid),
		};
		processes.push({ process, running });
		return process;
	};

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await Promise.allSettled(processes.map(({ running }) => running.stop()));
		const cleanups = await Promise.allSettled([dropDatabase(installation, database), deleteRedisKeys(installation, redisPrefix)]);
		rmSync(folder, { recursive: true, force: true });
		const failed = cleanups.flatMap((cleanup) => (cleanup.status === 'rejected' ? [String(cleanup.reason)] : []));
		if (failed.length > 0) throw new Error(`Cleaning up the queue-mode cluster failed: ${failed.join('; ')}`);
	};

	try {
		await createDatabase(installation, database);
		const main = await start('main', 'main', mainPort, brokerPorts[0]);
		// Settled, not all: a process still starting when another fails must be known to stop().
		const started = await Promise.allSettled([
			start('webhook', 'webhook', webhookPort, brokerPorts[1]),
			...otherPorts.slice(0, workerCount).map((healthPort, index) =>
				start('worker', `worker-${index + 1}`, healthPort, brokerPorts[2 + index], { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) }),
			),
		]);
		const [webhook, ...workers] = started.map((result) => {
			if (result.status === 'rejected') throw result.reason;
			return result.value;
		});
		const rest = n8nRest(main.url);
		await rest.setUpOwner();
		const executions = executionReader(main.url, await rest.createApiKey());
		return { main, webhook, workers, rest, executions, storageFolder, stop };
	} catch (error) {
		await stop().catch(() => undefined);
		throw error;
	}
}

function killProcess(pid: number): void {
	try {
		process.kill(pid, 'SIGKILL');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
	}
}

/** For failure messages: which cluster process a `process` label names. */
export function describeProcess(cluster: QueueModeCluster, processLabel: string): string {
	const named = [cluster.main, cluster.webhook, ...cluster.workers].find((candidate) => candidate.processLabel === processLabel);
	return named === undefined ? `${processLabel} (not a process of this cluster)` : named.name;
}
