import os from 'node:os';

import { defaultContextPolicy } from '../../lib/engine';
import type { BenchOptions, SectionReport, Table } from '../support/report';
import { fixed, median, times, verdict } from '../support/statistics';
import { cacheReadRate, cacheWriteRate } from '../tokens/anthropic-billing';
import { startBillingLlmServer } from '../tokens/billing-llm-server';
import { startBenchN8n } from './bench-n8n';
import { comparisonWorkflow } from './comparison-workflow';
import { runContender, type Contender, type ContenderRun } from './contender-run';
import { insideScenarios, modelCalls, reportToolResult, type InsideScenario } from './inside-scenarios';

const contenders: Contender[] = [
	{ key: 'n8nOff', label: "n8n's AI Agent, Prompt Caching off (n8n's default)", route: 'n8nAgent', promptCaching: false },
	{ key: 'n8nOn', label: "n8n's AI Agent, Prompt Caching 5 minutes", route: 'n8nAgent', promptCaching: true },
	{ key: 'connectedOff', label: 'Durable AI Agent, the same connected Chat Model, Prompt Caching off', route: 'durableConnected', promptCaching: false },
	{ key: 'connectedOn', label: 'Durable AI Agent, the same connected Chat Model, Prompt Caching 5 minutes', route: 'durableConnected', promptCaching: true },
	{ key: 'builtIn', label: "Durable AI Agent, built-in Anthropic provider (its defaults: its own cache breakpoints)", route: 'durableBuiltIn', promptCaching: false },
];

/** Which Durable configuration is compared with which configuration of n8n's agent. */
const comparisons: Array<{ durable: string; n8n: string; label: string }> = [
	{ durable: 'connectedOff', n8n: 'n8nOff', label: 'Durable, connected model ÷ n8n agent, both with Prompt Caching off' },
	{ durable: 'connectedOn', n8n: 'n8nOn', label: 'Durable, connected model ÷ n8n agent, both with Prompt Caching on' },
	{ durable: 'builtIn', n8n: 'n8nOff', label: "Durable, built-in provider ÷ n8n agent with Prompt Caching off (each with its defaults)" },
	{ durable: 'builtIn', n8n: 'n8nOn', label: 'Durable, built-in provider ÷ n8n agent with Prompt Caching on' },
];

const webhookPath = (scenario: InsideScenario, promptCaching: boolean) => `durable-agent-bench/${scenario.key}-caching-${promptCaching ? 'on' : 'off'}`;
const integer = (value: number) => Math.round(value).toLocaleString('en-US');
/** Token ratios can run far below 1: three decimals keep them readable. */
const tokenRatio = (value: number) => `${fixed(value, 3)}×`;

const title = '7. Inside n8n: Durable AI Agent beside n8n\'s AI Agent';
const method =
	"In one real n8n (the pinned version, this package installed from its packed tarball), one workflow per scenario and Prompt Caching setting: Webhook → Switch → n8n's AI Agent (v3.1), " +
	'Durable AI Agent with Provider "Connected Chat Model", or Durable AI Agent with its built-in Anthropic provider. The first two share one Anthropic Chat Model sub-node (v1.6, non-streaming, Prompt Caching off or 5 minutes); ' +
	'all three share one Code Tool whose JavaScript returns a deterministic log excerpt of the scenario\'s size. Every model call goes to the billing-faithful Anthropic server of section 6 (same scripted replies for every configuration, ' +
	'a fresh prompt cache per execution, cache_control honoured as Anthropic does, including the top-level cache_control the Chat Model sends for Prompt Caching). ' +
	'Instructions, task and tool are those of section 6. ms per turn is the webhook\'s round trip (n8n answers when the execution ends) divided by the requests that offered tools; ' +
	'the configurations run interleaved (a rotating order in each repetition) after one warm-up run each, and the median is shown. Tokens are the server\'s ledger. Durable AI Agent keeps its defaults (context management on, Local Disk storage).';

type ScenarioResult = { scenario: InsideScenario; runs: Map<string, ContenderRun[]> };

/**
 * Inside n8n: n8n's AI Agent and Durable AI Agent in one real n8n, on the same scripted task, with
 * the same Anthropic Chat Model sub-node and Code Tool, against the billing-faithful Anthropic
 * server. Smoke mode starts no n8n (the unit suite must stay fast): it only runs the Code Tool's
 * code to report the scenario's sizes.
 */
export async function benchInsideN8n(options: BenchOptions): Promise<SectionReport> {
	const scenarioTable: Table = {
		headers: ['Scenario', 'Model calls', 'Tool result characters (min–max)'],
		rows: insideScenarios.map((scenario) => {
			const sizes = Array.from({ length: scenario.toolTurns }, (_, index) => reportToolResult(scenario, index + 1).length);
			return [scenario.label, String(modelCalls(scenario)), `${integer(Math.min(...sizes))}–${integer(Math.max(...sizes))}`];
		}),
	};
	const sizeNumbers = Object.fromEntries(insideScenarios.map((scenario) => [`${scenario.key}ToolResultCharacters`, reportToolResult(scenario, 1).length]));
	if (options.smoke) {
		return {
			title,
			method,
			tables: [scenarioTable],
			notes: ['Smoke mode starts no n8n: the comparison runs only under `npm run bench`. The sizes above come from running the Code Tool\'s code here.'],
			numbers: sizeNumbers,
		};
	}

	const log = (line: string) => process.stderr.write(`[inside n8n] ${line}\n`);
	const results = await measureInsideN8n(log);
	const numbers: Record<string, number> = { ...sizeNumbers };
	const tables: Table[] = [scenarioTable];
	const notes: string[] = [];
	for (const { scenario, runs } of results) {
		const summary = (key: string) => summarize(runs.get(key)!);
		tables.push({
			headers: [
				`${scenario.key === 'short' ? 'Short' : 'Long'} run: configuration`,
				'ms per turn (median)',
				'Requests',
				'Input tokens sent',
				'Uncached',
				'Cache read',
				'Cache write',
				`Billed input tokens (input + ${cacheWriteRate} × write + ${cacheReadRate} × read)`,
			],
			rows: contenders.map((contender) => {
				const result = summary(contender.key);
				Object.assign(numbers, {
					[`${scenario.key}.${contender.key}.msPerTurn`]: result.msPerTurn,
					[`${scenario.key}.${contender.key}.requests`]: result.run.requests,
					[`${scenario.key}.${contender.key}.inputTokens`]: result.run.requestTokens,
					[`${scenario.key}.${contender.key}.billedInputTokens`]: result.run.billedInputTokens,
				});
				const { billing } = result.run;
				return [contender.label, fixed(result.msPerTurn, 1), String(result.run.requests), integer(result.run.requestTokens), integer(billing.inputTokens), integer(billing.cacheReadTokens), integer(billing.cacheWriteTokens), integer(result.run.billedInputTokens)];
			}),
		});
		tables.push({
			headers: [`${scenario.key === 'short' ? 'Short' : 'Long'} run: ratio`, 'ms per turn', 'Requests', 'Input tokens sent', 'Billed input tokens'],
			rows: comparisons.map((comparison) => {
				const durable = summary(comparison.durable);
				const n8n = summary(comparison.n8n);
				const ratios = {
					msPerTurn: durable.msPerTurn / n8n.msPerTurn,
					requests: durable.run.requests / n8n.run.requests,
					inputTokens: durable.run.requestTokens / n8n.run.requestTokens,
					billedInputTokens: durable.run.billedInputTokens / n8n.run.billedInputTokens,
				};
				for (const [name, value] of Object.entries(ratios)) numbers[`${scenario.key}.${comparison.durable}Per${comparison.n8n}.${name}`] = value;
				return [comparison.label, times(ratios.msPerTurn), times(ratios.requests), tokenRatio(ratios.inputTokens), tokenRatio(ratios.billedInputTokens)];
			}),
		});
		const unsteady = contenders.filter((contender) => new Set(runs.get(contender.key)!.map((run) => run.billedInputTokens)).size > 1);
		if (unsteady.length > 0) notes.push(`${scenario.key} run: the bill differed between repetitions for ${unsteady.map((contender) => contender.label).join('; ')} (the tables show the median run's).`);
		if (scenario.key === 'short') notes.push(...targetNotes(summary));
	}

	return { title, method, tables, notes: [...notes, ...fixedNotes()], numbers };
}

type Summary = { msPerTurn: number; run: ContenderRun };

/** The median time per turn, and the run whose time is nearest that median for its bill. */
function summarize(runs: readonly ContenderRun[]): Summary {
	const perTurn = runs.map((run) => run.wallMs / run.turnRequests);
	const msPerTurn = median(perTurn);
	const nearest = perTurn.reduce((best, value, index) => (Math.abs(value - msPerTurn) < Math.abs(perTurn[best] - msPerTurn) ? index : best), 0);
	return { msPerTurn, run: runs[nearest] };
}

/** The aim: on short runs, no slower and no dearer than n8n's agent at its best Prompt Caching setting. */
function targetNotes(summary: (key: string) => Summary): string[] {
	const best = summary('n8nOn').run.billedInputTokens <= summary('n8nOff').run.billedInputTokens ? 'n8nOn' : 'n8nOff';
	const bestLabel = contenders.find((contender) => contender.key === best)!.label;
	return ['builtIn', 'connectedOn'].map((key) => {
		const time = summary(key).msPerTurn / summary(best).msPerTurn;
		const billed = summary(key).run.billedInputTokens / summary(best).run.billedInputTokens;
		const label = contenders.find((contender) => contender.key === key)!.label;
		return (
			`Target (short run, ≤ 1.0× against n8n's agent at its cheapest setting, ${bestLabel}): ${label}: time per turn ${times(time)} ${verdict(time <= 1)}, ` +
			`billed input ${tokenRatio(billed)} ${verdict(billed <= 1)}.`
		);
	});
}

function fixedNotes(): string[] {
	// The node's default policy; the window only decides when summarising starts, which these runs do not reach.
	const policy = defaultContextPolicy(200_000);
	return [
		`Noise: the machine (${os.cpus().length} cores) is shared with other engineers' test runs, and n8n, its task runner, the billing server and this process share it too; ` +
			'times are medians of interleaved runs, so load hits every configuration alike, but single runs can be off by tens of percent. Token counts do not depend on load.',
		"How each agent calls the tool: n8n's AI Agent (v3) hands every tool call back to n8n's engine, which runs the Code Tool node and then the agent node again, rebuilding the conversation each turn; " +
			'Durable AI Agent runs the loop inside its node and calls the connected tool directly, writing each turn to its storage.',
		"n8n's AI Agent hands a tool the model's arguments merged with the incoming item's fields (here the webhook's headers, params, query and body): a Code Tool whose schema has " +
			'additionalProperties: false refuses every such call, so the tool here leaves its schema open. Durable AI Agent passes the model\'s arguments alone.',
		'Prompt Caching on the Anthropic Chat Model puts one cache_control at the top of each request (Anthropic\'s automatic caching: a breakpoint on the last block), for both agents that use the sub-node. ' +
			'The built-in provider sets its own breakpoints (tools and instructions, and the latest message) whatever the sub-node says, so it has one row.',
		'What the model sees differs on the long run: Durable AI Agent\'s context management (on by default, also with a connected model) stores each result over ' +
			`${integer(policy.largeToolResultCharacters)} characters whole and shows the model its first characters with a note on how to read the rest (read_tool_output), ` +
			`and shortens results older than the ${policy.keepRecentToolResults} most recent; n8n's AI Agent sends every result whole in every request. ` +
			'The scripted model never reads a stored result back; a real model that does pays for each page it reads. On the short run (2,000-character results) only the shortening applies.',
		"Without context management a request grows by each whole tool result: on the long run n8n's agent sends requests far beyond a real model's context window, which a real provider would refuse; " +
			'the simulated server accepts them so that the runs can be compared over all turns.',
	];
}

async function measureInsideN8n(log: (line: string) => void): Promise<ScenarioResult[]> {
	const server = await startBillingLlmServer();
	log('Starting n8n with this package installed…');
	const n8n = await startBenchN8n('inside-n8n', log);
	try {
		const anthropicApi = await n8n.rest.createCredential({ name: 'Billing server (Anthropic Chat Model)', type: 'anthropicApi', data: { apiKey: 'bench-key', url: server.latestRunBaseUrl } });
		const durableAgentAnthropicApi = await n8n.rest.createCredential({
			name: 'Billing server (Durable AI Agent)',
			type: 'durableAgentAnthropicApi',
			data: { apiKey: 'bench-key', baseUrl: server.latestRunBaseUrl },
		});
		for (const scenario of insideScenarios) {
			for (const promptCaching of [false, true]) {
				const id = `benchInside${scenario.key}${promptCaching ? 'On' : 'Off'}`;
				await n8n.rest.createAndPublishWorkflow(
					comparisonWorkflow({ id, webhookPath: webhookPath(scenario, promptCaching), scenario, promptCaching, credentials: { anthropicApi, durableAgentAnthropicApi }, storageFolder: n8n.storageFolder }),
				);
			}
		}
		const run = (scenario: InsideScenario, contender: Contender, label: string) => runContender(server, n8n.url, webhookPath(scenario, contender.promptCaching), scenario, contender, label);

		log('Warm-up: one short run of each configuration…');
		for (const contender of contenders) await run(insideScenarios[0], contender, `warm-up-${contender.key}`);
		const results: ScenarioResult[] = [];
		for (const scenario of insideScenarios) {
			const runs = new Map<string, ContenderRun[]>(contenders.map((contender) => [contender.key, []]));
			for (let repetition = 0; repetition < scenario.repetitions; repetition++) {
				log(`${scenario.key} run, repetition ${repetition + 1} of ${scenario.repetitions}…`);
				// A rotating order, so no configuration always runs first or after the same neighbour.
				const order = contenders.map((_, index) => contenders[(index + repetition) % contenders.length]);
				for (const contender of order) runs.get(contender.key)!.push(await run(scenario, contender, `${scenario.key}-${contender.key}-${repetition + 1}`));
			}
			results.push({ scenario, runs });
		}
		return results;
	} catch (error) {
		throw new Error(`${(error as Error).message}\nn8n's log: ${n8n.logFile}`, { cause: error });
	} finally {
		await n8n.stop();
		await server.close();
	}
}
