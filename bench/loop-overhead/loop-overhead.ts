import { profileCpu, type CpuBreakdown } from '../support/cpu-profile';
import { gcAvailable, measure, type Timing } from '../support/measure';
import type { BenchOptions, SectionReport, Table } from '../support/report';
import { startInstantServer } from '../support/server-process';
import { fixed, median, times, verdict } from '../support/statistics';
import { runGenerateTextLoop, runStreamTextLoop } from './ai-sdk-loops';
import { runBareFetchLoop } from './bare-fetch-loop';
import { runEngineLoop } from './engine-loop';
import { runProviderStreamLoop } from './provider-stream-loop';
import type { LoopRunResult } from './scenario';

type ContenderName = 'engine' | 'bare-sse' | 'provider-stream' | 'bare-json' | 'generate-text' | 'stream-text';
type Contender = { name: ContenderName; label: string; run(baseUrl: string, turns: number): Promise<LoopRunResult> };

const contenders: Contender[] = [
	{ name: 'engine', label: 'this engine (runAgent, SSE via the AI SDK provider, memory store)', run: (url, turns) => runEngineLoop(url, turns) },
	{ name: 'bare-sse', label: 'bare fetch loop, SSE (the baseline: same wire as the engine)', run: (url, turns) => runBareFetchLoop(url, turns, true) },
	{ name: 'generate-text', label: 'AI SDK generateText + stepCountIs (JSON responses)', run: runGenerateTextLoop },
	{
		name: 'provider-stream',
		label: "AI SDK provider's doStream in a plain loop (the floor for an engine on @ai-sdk/openai)",
		run: runProviderStreamLoop,
	},
	{ name: 'bare-json', label: 'bare fetch loop, JSON (for reference)', run: (url, turns) => runBareFetchLoop(url, turns, false) },
	{ name: 'stream-text', label: 'AI SDK streamText + stepCountIs (SSE, for reference)', run: runStreamTextLoop },
];

/**
 * Targets on what this engine controls (issue 16): its time over the provider's own stream loop,
 * and its own code per turn. The adapter stays on @ai-sdk/openai (a decision taken), whose
 * streaming stack alone costs more than issue 6's bare-fetch and generateText ratios allow; those
 * two stay as reference rows with their old targets named.
 */
const maxRatioToProviderStream = 1.15;
const maxOwnCodeCpuMsPerTurn = 0.25;
const maxRatioToBare = 1.15;
const maxRatioToGenerateText = 0.7;

/**
 * Loop overhead per turn: every contender runs the same 20-turn tool-calling conversation against
 * one instant server process; runs are interleaved (the order rotates each repetition) and each
 * contender's median is taken. CPU time is this process only: the server's work is not in it.
 */
export async function benchLoopOverhead(options: BenchOptions): Promise<SectionReport> {
	const turns = options.smoke ? 3 : 20;
	const warmUpRounds = options.smoke ? 1 : 3;
	const repetitions = options.smoke ? 1 : 15;
	const server = await startInstantServer({ toolTurns: turns - 1, latencyMs: 0 });
	try {
		const timings = new Map<ContenderName, Timing[]>(contenders.map((contender) => [contender.name, []]));
		for (let round = 0; round < warmUpRounds + repetitions; round++) {
			for (let offset = 0; offset < contenders.length; offset++) {
				const contender = contenders[(round + offset) % contenders.length];
				const { result, timing } = await measure(() => contender.run(server.baseUrl, turns));
				checkRun(contender, result, turns);
				if (round >= warmUpRounds) timings.get(contender.name)?.push(timing);
			}
		}
		const perTurn = (name: ContenderName) => {
			const runs = timings.get(name) ?? [];
			return { wallMs: median(runs.map((run) => run.wallMs)) / turns, cpuMs: median(runs.map((run) => run.cpuMs)) / turns };
		};
		const profiles = await profileContenders(server.baseUrl, turns, options.smoke ? { rounds: 1, runsPerSession: 1 } : { rounds: 3, runsPerSession: 5 });
		// Sample counts stand for wall time, which a busy machine stretches: only the shares are kept,
		// applied to the CPU time measured above.
		for (const [name, profile] of profiles) if (profile.totalMs > 0) scale(profile, perTurn(name).cpuMs / profile.totalMs);
		return report(turns, repetitions, perTurn, profiles);
	} finally {
		await server.close();
	}
}

function checkRun(contender: Contender, result: LoopRunResult, turns: number): void {
	if (result.modelCalls !== turns || result.toolCalls !== turns - 1 || !result.finalText.startsWith('Done')) {
		throw new Error(`${contender.label} did not run the scenario: ${JSON.stringify(result)} (expected ${turns} model calls, ${turns - 1} tool calls).`);
	}
}

type Profiles = Map<ContenderName, CpuBreakdown>;
const profiledContenders: ContenderName[] = ['engine', 'provider-stream', 'bare-sse', 'generate-text'];
const profileColumn: Partial<Record<ContenderName, string>> = {
	engine: 'engine',
	'provider-stream': 'provider doStream loop',
	'bare-sse': 'bare fetch (SSE)',
	'generate-text': 'generateText',
};

/**
 * Where each main contender's CPU time goes, from V8's sampling profiler. Starting the profiler
 * has a cost of its own, so each session covers several runs; sessions alternate between the
 * contenders so that other load on the machine spreads evenly.
 */
async function profileContenders(baseUrl: string, turns: number, sizes: { rounds: number; runsPerSession: number }): Promise<Profiles> {
	const profiles: Profiles = new Map();
	for (let round = 0; round < sizes.rounds; round++) {
		for (const name of profiledContenders) {
			const contender = contenders.find((candidate) => candidate.name === name) as Contender;
			const profile = await profileCpu(async () => {
				for (let run = 0; run < sizes.runsPerSession; run++) await contender.run(baseUrl, turns);
			});
			const total = profiles.get(name);
			if (total) addInto(total, profile);
			else profiles.set(name, profile);
		}
	}
	return profiles;
}

function addInto(total: CpuBreakdown, part: CpuBreakdown): void {
	total.totalMs += part.totalMs;
	for (const [place, ms] of part.byPlace) total.byPlace.set(place, (total.byPlace.get(place) ?? 0) + ms);
}

function scale(profile: CpuBreakdown, factor: number): void {
	profile.totalMs *= factor;
	for (const [place, ms] of profile.byPlace) profile.byPlace.set(place, ms * factor);
}

function report(
	turns: number,
	repetitions: number,
	perTurn: (name: ContenderName) => Timing,
	profiles: Profiles,
): SectionReport {
	const engine = perTurn('engine');
	const bare = perTurn('bare-sse');
	const generateText = perTurn('generate-text');
	const providerStream = perTurn('provider-stream');
	const timingTable: Table = {
		headers: ['Contender', 'Wall ms/turn', 'CPU ms/turn', 'Wall vs engine', 'CPU vs engine'],
		rows: contenders.map((contender) => {
			const timing = perTurn(contender.name);
			return [contender.label, fixed(timing.wallMs, 3), fixed(timing.cpuMs, 3), times(timing.wallMs / engine.wallMs), times(timing.cpuMs / engine.cpuMs)];
		}),
	};
	const ratioRow = (label: string, target: string, wall: number, cpu: number, met: (ratio: number) => boolean) => [
		label,
		target,
		`${times(wall)} ${verdict(met(wall))}`,
		`${times(cpu)} ${verdict(met(cpu))}`,
	];
	const referenceRow = (label: string, wall: number, cpu: number) => [label, '— (reference)', times(wall), times(cpu)];
	const ownCodeMs = ownCodeCpuMsPerTurn(profiles);
	const targetTable: Table = {
		headers: ['Ratio', 'Target', 'Wall time', 'CPU time'],
		rows: [
			ratioRow(
				'engine / provider doStream loop: what the engine adds',
				`≤ ${maxRatioToProviderStream}×`,
				engine.wallMs / providerStream.wallMs,
				engine.cpuMs / providerStream.cpuMs,
				(ratio) => ratio <= maxRatioToProviderStream,
			),
			['engine’s own code (lib/engine, lib/storage), CPU ms/turn from the profile', `≤ ${maxOwnCodeCpuMsPerTurn} ms`, '—', `${fixed(ownCodeMs, 3)} ms ${verdict(ownCodeMs <= maxOwnCodeCpuMsPerTurn)}`],
			referenceRow(`engine / bare fetch (SSE) (issue 6 asked ≤ ${maxRatioToBare}×)`, engine.wallMs / bare.wallMs, engine.cpuMs / bare.cpuMs),
			referenceRow(`engine / generateText (issue 6 asked ≤ ${maxRatioToGenerateText}×)`, engine.wallMs / generateText.wallMs, engine.cpuMs / generateText.cpuMs),
			referenceRow('provider doStream loop / bare fetch (SSE): what @ai-sdk/openai alone costs', providerStream.wallMs / bare.wallMs, providerStream.cpuMs / bare.cpuMs),
			referenceRow('provider doStream loop / generateText', providerStream.wallMs / generateText.wallMs, providerStream.cpuMs / generateText.cpuMs),
		],
	};
	return {
		title: '1. Loop overhead per turn',
		method:
			`A ${turns}-turn run (${turns - 1} tool calls, then a text answer) against an instant Chat Completions server in its own process, over loopback HTTP. ` +
			`Runs interleaved, order rotating; medians of ${repetitions} runs per contender after warm-up, divided by ${turns} turns. ` +
			`CPU time is process.cpuUsage of the client process only${gcAvailable() ? '; a full GC runs before every run' : ''}.`,
		tables: [timingTable, targetTable, profileTable(profiles)],
		notes: [
			'Wall time includes the server process and loopback HTTP, which every contender pays equally; CPU time is the client alone, so it shows the overhead more sharply.',
			"The engine calls the AI SDK provider's `doStream` (SSE), so its natural baseline is the SSE bare loop; generateText uses non-streaming JSON responses, which are cheaper to parse.",
			`For scale: the bare loops themselves take ${times(bare.cpuMs / generateText.cpuMs)} (SSE) and ${times(perTurn('bare-json').cpuMs / generateText.cpuMs)} (JSON) of generateText's CPU time per turn.`,
			floorNote(engine, providerStream, bare, generateText),
			profileNote(profiles),
		],
		numbers: {
			engineWallMsPerTurn: engine.wallMs,
			engineCpuMsPerTurn: engine.cpuMs,
			bareWallMsPerTurn: bare.wallMs,
			bareCpuMsPerTurn: bare.cpuMs,
			generateTextWallMsPerTurn: generateText.wallMs,
			generateTextCpuMsPerTurn: generateText.cpuMs,
			providerStreamWallMsPerTurn: providerStream.wallMs,
			providerStreamCpuMsPerTurn: providerStream.cpuMs,
			engineToBareCpuRatio: engine.cpuMs / bare.cpuMs,
			engineToGenerateTextCpuRatio: engine.cpuMs / generateText.cpuMs,
			engineToProviderStreamCpuRatio: engine.cpuMs / providerStream.cpuMs,
			engineOwnCodeCpuMsPerTurn: ownCodeMs,
		},
	};
}

/**
 * What the provider alone costs against the two targets. The adapter has to stay on `@ai-sdk/openai`,
 * so where its `doStream` loop already misses a target, no change to the engine can meet it.
 */
function floorNote(engine: Timing, providerStream: Timing, bare: Timing, generateText: Timing): string {
	const toBare = providerStream.cpuMs / bare.cpuMs;
	const toGenerateText = providerStream.cpuMs / generateText.cpuMs;
	const missed = [
		...(toBare > maxRatioToBare ? [`≤ ${maxRatioToBare}× of the bare SSE loop (it takes ${times(toBare)})`] : []),
		...(toGenerateText > maxRatioToGenerateText ? [`≤ ${maxRatioToGenerateText}× of generateText (it takes ${times(toGenerateText)})`] : []),
	];
	const verdictText =
		missed.length === 0
			? `it is within both targets (${times(toBare)} of the bare SSE loop, ${times(toGenerateText)} of generateText), so the rest is the engine's to cut`
			: `it alone misses ${missed.join(' and ')}, so no engine built on that provider's streaming call can meet ${missed.length === 1 ? 'that target' : 'those targets'}`;
	return (
		`The floor: the AI SDK provider's \`doStream\` called in a plain loop with nothing else, the call the engine's OpenAI-compatible adapter makes. In CPU time ${verdictText}. ` +
		`The engine takes ${times(engine.cpuMs / providerStream.cpuMs)} of that floor's CPU time (its own loop: tool-input validation, journal and transcript writes to the memory store, context and budget checks).`
	);
}

/** Sampled CPU ms per turn by place, every place that any profiled contender spent time in. */
function profileTable(profiles: Profiles): Table {
	const places = new Map<string, number>();
	for (const profile of profiles.values()) for (const [place, ms] of profile.byPlace) places.set(place, Math.max(places.get(place) ?? 0, ms));
	const shown = [...places.entries()].sort((a, b) => b[1] - a[1]).map(([place]) => place);
	const cell = (name: ContenderName, place: string) => fixed(profiles.get(name)?.byPlace.get(place) ?? 0, 3);
	return {
		headers: ['Where the CPU time goes (ms/turn: measured CPU split by profile shares)', ...profiledContenders.map((name) => profileColumn[name] ?? name)],
		rows: [
			...shown.map((place) => [place, ...profiledContenders.map((name) => cell(name, place))]),
			['total', ...profiledContenders.map((name) => fixed(profiles.get(name)?.totalMs ?? 0, 3))],
		],
	};
}

const ownPlaces = ['lib/engine (this engine)', 'lib/storage'];
const streamingStackPlaces = ['web streams', '@ai-sdk/provider-utils', '@ai-sdk/openai', '@ai-sdk/provider', 'eventsource-parser', 'zod'];

/** The engine's own code per turn (lib/engine and lib/storage), as the profile splits the engine contender's measured CPU time. */
function ownCodeCpuMsPerTurn(profiles: Profiles): number {
	const engine = profiles.get('engine');
	return ownPlaces.reduce((total, place) => total + (engine?.byPlace.get(place) ?? 0), 0);
}

/** The profile read out: how much of the engine's time is its own code and how much the SDK's streaming stack. */
function profileNote(profiles: Profiles): string {
	const engine = profiles.get('engine') as CpuBreakdown;
	const bare = profiles.get('bare-sse') as CpuBreakdown;
	const sum = (profile: CpuBreakdown, places: readonly string[]) => places.reduce((total, place) => total + (profile.byPlace.get(place) ?? 0), 0);
	return (
		`Profile (V8 sampling profiler, as --cpu-prof): of the engine's ${fixed(engine.totalMs, 3)} ms/turn (bare SSE loop: ${fixed(bare.totalMs, 3)}), ` +
		`its own code (lib/engine, lib/storage) is ${fixed(sum(engine, ownPlaces), 3)} ms/turn, and the AI SDK provider's streaming stack ` +
		`(the web streams it pipes each response through, @ai-sdk/*, eventsource-parser, zod checks of every chunk) is ${fixed(sum(engine, streamingStackPlaces), 3)} ms/turn, ` +
		`where the bare loop spends ${fixed(sum(bare, streamingStackPlaces), 3)} ms/turn reading its stream; undici, Node core and GC make up most of the rest for both.`
	);
}
