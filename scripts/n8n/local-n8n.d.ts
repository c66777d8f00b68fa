/** Types of the local n8n toolkit (plain CommonJS, run by scripts/start.sh) for the TypeScript end-to-end tests. */

type Log = (message: string) => void;

/** Where the pieces of an n8n install live. */
export type N8nInstallation = {
	folder: string;
	n8nVersion: string;
	nodeDirectory: string;
	nodeBinDirectory: string;
	nodeBinary: string;
	n8nScript: string;
};

/** Extra environment for n8n; an `undefined` value removes an inherited variable. */
export type N8nEnvironmentOverrides = Record<string, string | undefined>;

/** A started n8n: `stop()` stops it and its task runner (idempotent). */
export type RunningN8n = {
	url: string;
	pid: number;
	exited: Promise<{ code: number | null; signal: string | null }>;
	stop(): Promise<void>;
};

export function defaultInstallRoot(environment?: NodeJS.ProcessEnv): string;

export function ensureN8nInstalled(options: { root: string; log: Log; signal?: AbortSignal }): Promise<N8nInstallation>;

export function installPackage(options: {
	userFolder: string;
	log: Log;
	logFile: string;
	packageRoot?: string;
	tarball?: string;
	signal?: AbortSignal;
}): Promise<{ name: string; version: string; installedFolder: string }>;

export function importWorkflows(options: {
	installation: N8nInstallation;
	userFolder: string;
	directory: string;
	log: Log;
	logFile: string;
	env?: N8nEnvironmentOverrides;
	signal?: AbortSignal;
}): Promise<{ imported: string[]; published: string[] }>;

export function startN8n(options: {
	installation: N8nInstallation;
	userFolder: string;
	/** `webhook` and `worker` are queue mode's other processes; a worker is ready on `QUEUE_HEALTH_CHECK_PORT`, which must equal `port`. */
	command?: 'start' | 'webhook' | 'worker';
	port?: number;
	env?: N8nEnvironmentOverrides;
	log: Log;
	logFile?: string;
	readinessTimeoutMilliseconds?: number;
	signal?: AbortSignal;
}): Promise<RunningN8n>;

/** Rejects with `code` PORT_TAKEN (and `port`, `purpose`) when n8n's port or its task runner broker's is taken. */
export function assertPortsFree(options?: { port?: number; env?: N8nEnvironmentOverrides }): Promise<void>;

/** The first port from `from` up that is free together with the next one (n8n and its task runner), or undefined. */
export function findFreePortPair(from: number, attempts?: number): Promise<number | undefined>;

export const DEFAULT_PORT: number;
export const N8N_VERSION: string;
export const NODE_VERSION: string;
export const REPOSITORY_ROOT: string;
