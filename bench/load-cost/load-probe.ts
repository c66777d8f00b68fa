/**
 * Runs in a fresh Node process (started by load-cost.ts with `--expose-gc`) and measures what n8n
 * pays at start-up for this package: `require` every built file of the package's n8n block and
 * instantiate its class, the way n8n's loader does. n8n-workflow is required before the clock
 * starts, because n8n has always loaded it already. Prints one JSON line.
 *
 * Only `node:` imports and erasable TypeScript syntax: Node 24 runs this file as it is under jest.
 */
import Module, { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What the parent asks for. `selfTimes` instruments the loader to time each module (slower: that run's totals are not comparable). */
export type LoadProbeRequest = { packageRoot: string; files: string[]; eagerModules: string[]; watchedModules: string[]; selfTimes?: boolean };

/** What one probe measured. */
export type LoadProbeResult = {
	milliseconds: number;
	heapDeltaBytes: number;
	/** Modules loaded by the measured step, counted by package (`(this package)` for our own files). */
	loadedPackages: Record<string, number>;
	/** Which of `watchedModules` ended up loaded. */
	watchedLoaded: string[];
	/** With `selfTimes`: the modules that took longest to evaluate, minus the modules they required. */
	slowestModules?: Array<{ module: string; milliseconds: number }>;
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loaderInternals = Module as unknown as { _load: Loader; _resolveFilename(request: string, parent: unknown): string };

/** Wraps Node's CommonJS loader so each module's own evaluation time is summed (its children's time left out). */
function timeEachModule(): Map<string, number> {
	const selfTimes = new Map<string, number>();
	const childTimes: number[] = [];
	const load = loaderInternals._load;
	loaderInternals._load = function (this: unknown, request, parent, isMain) {
		const started = performance.now();
		childTimes.push(0);
		try {
			return load.call(this, request, parent, isMain);
		} finally {
			const total = performance.now() - started;
			const own = total - (childTimes.pop() ?? 0);
			if (childTimes.length > 0) childTimes[childTimes.length - 1] += total;
			let file = request;
			try {
				file = loaderInternals._resolveFilename(request, parent);
			} catch {
				// Built-in or unresolvable: keep the request as its name.
			}
			selfTimes.set(file, (selfTimes.get(file) ?? 0) + own);
		}
	};
	return selfTimes;
}

const request = JSON.parse(process.argv[2] ?? '{}') as LoadProbeRequest;
const requireFromPackage = createRequire(join(request.packageRoot, 'package.json'));
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

requireFromPackage('n8n-workflow');
const alreadyLoaded = new Set(Object.keys(requireFromPackage.cache));
const selfTimes = request.selfTimes ? timeEachModule() : undefined;
collect();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
for (const file of request.files) {
	const exported = requireFromPackage(join(request.packageRoot, file)) as Record<string, new () => unknown>;
	new exported[basename(file).split('.')[0]]();
}
for (const moduleName of request.eagerModules) requireFromPackage(moduleName);
const milliseconds = performance.now() - started;
collect();
const heapDeltaBytes = process.memoryUsage().heapUsed - heapBefore;

const newlyLoaded = Object.keys(requireFromPackage.cache).filter((file) => !alreadyLoaded.has(file));
const loadedPackages: Record<string, number> = {};
for (const file of newlyLoaded) {
	const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
	const name = match ? match[1] : '(this package)';
	loadedPackages[name] = (loadedPackages[name] ?? 0) + 1;
}
const watchedLoaded = request.watchedModules.filter((moduleName) => newlyLoaded.some((file) => file.includes(`/node_modules/${moduleName}/`)));
const slowestModules = selfTimes
	? [...selfTimes.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 8)
			.map(([file, ownMilliseconds]) => ({ module: file.startsWith('/') ? relative(request.packageRoot, file) : file, milliseconds: ownMilliseconds }))
	: undefined;
const result: LoadProbeResult = { milliseconds, heapDeltaBytes, loadedPackages, watchedLoaded, slowestModules };
process.stdout.write(`${JSON.stringify(result)}\n`);
