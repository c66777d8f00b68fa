import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';

const packageName = 'n8n-nodes-durable-agent';

/** The repository root, found from this file both as `bench/…` source and as compiled `dist-bench/bench/…`. */
export function packageRoot(): string {
	for (let folder = __dirname; ; folder = dirname(folder)) {
		const manifest = join(folder, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName) return folder;
		if (dirname(folder) === folder) throw new Error(`Cannot find the ${packageName} package above ${__dirname}.`);
	}
}

/** The installed version of a dependency, read from its package.json. */
export function installedVersion(name: string): string {
	const manifest = join(packageRoot(), 'node_modules', name, 'package.json');
	return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : 'not installed';
}

/** The header lines of BENCHMARKS.md: when, on what, with which versions; taken as the suite starts. */
export function machineDescription(): Array<[string, string]> {
	const cpus = os.cpus();
	const load = os.loadavg();
	const header: Array<[string, string]> = [
		['Date', new Date().toISOString()],
		['CPU', `${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores`],
		['Memory', `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`],
		['Load average at start (1, 5, 15 min)', load.map((value) => value.toFixed(2)).join(', ')],
		['OS', `${os.type()} ${os.release()} (${os.arch()})`],
		['Node', process.version],
		['Packages', ['ai', '@ai-sdk/openai', '@anthropic-ai/sdk', '@aws-sdk/client-s3', 'n8n-workflow'].map((name) => `${name} ${installedVersion(name)}`).join(', ')],
	];
	// The suite itself keeps about two cores busy (client and server); other work on top skews every number.
	if (load[0] >= cpus.length / 2) {
		header.unshift(['Warning', 'other work kept the machine busy when the suite started: wall times are inflated and their ratios squeezed; CPU times hold up better.']);
	}
	return header;
}
