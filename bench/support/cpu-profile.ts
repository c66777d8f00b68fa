import { Session } from 'node:inspector/promises';

type ProfileNode = { callFrame: { functionName: string; url: string }; hitCount?: number };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] };

/** Sampled CPU time of one task, in milliseconds, in total and by where the code lives. */
export type CpuBreakdown = {
	totalMs: number;
	byPlace: Map<string, number>;
};

const samplingIntervalMicroseconds = 100;

/** Runs `task` under V8's sampling profiler (what `--cpu-prof` uses) and sums self time per place. */
export async function profileCpu(task: () => Promise<void>): Promise<CpuBreakdown> {
	const session = new Session();
	session.connect();
	try {
		await session.post('Profiler.enable');
		await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalMicroseconds });
		await session.post('Profiler.start');
		await task();
		const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
		return breakdown(profile);
	} finally {
		session.disconnect();
	}
}

function breakdown(profile: Profile): CpuBreakdown {
	const sampleCount = profile.samples?.length ?? 0;
	const millisecondsPerSample = sampleCount === 0 ? 0 : (profile.endTime - profile.startTime) / 1000 / sampleCount;
	const byPlace = new Map<string, number>();
	let totalMs = 0;
	for (const node of profile.nodes) {
		const place = placeOf(node.callFrame);
		if (place === 'idle' || !node.hitCount) continue;
		const milliseconds = node.hitCount * millisecondsPerSample;
		totalMs += milliseconds;
		byPlace.set(place, (byPlace.get(place) ?? 0) + milliseconds);
	}
	return { totalMs, byPlace };
}

/** Groups code by package, by this project's folders, and by Node's subsystems. */
function placeOf(callFrame: ProfileNode['callFrame']): string {
	const { functionName, url } = callFrame;
	if (functionName === '(idle)') return 'idle';
	if (functionName === '(garbage collector)') return 'garbage collector';
	if (functionName === '(program)' || (url === '' && functionName.startsWith('('))) return 'V8 and native code';
	const packageMatch = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
	if (packageMatch) return packageMatch[1];
	if (/\/lib\/engine\//.test(url)) return 'lib/engine (this engine)';
	if (/\/lib\/storage\//.test(url)) return 'lib/storage';
	if (/\/bench\//.test(url)) return 'benchmark code (tools, contenders)';
	if (url.startsWith('node:internal/deps/undici')) return 'undici (fetch)';
	// Node's web stream constructors mark every stream transferable; in these runs that is all its callers.
	if (url.startsWith('node:internal/webstreams') || url === 'node:internal/worker/js_transferable') return 'web streams';
	if (url.startsWith('node:')) return 'Node core';
	return url === '' ? 'built-ins (JSON, RegExp, …)' : 'other';
}
