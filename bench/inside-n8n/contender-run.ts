import { performance } from 'node:perf_hooks';

import { postToWebhook } from '../../test/e2e/support/webhooks';
import { billedInputTokens, type InputBilling } from '../tokens/anthropic-billing';
import type { BillingLlmServer } from '../tokens/billing-llm-server';
import { summaryReply } from '../tokens/token-scenario';
import { agentRoutes, type AgentRoute } from './comparison-workflow';
import { insideReplies, type InsideScenario } from './inside-scenarios';

/** One agent configuration of the comparison. */
export type Contender = {
	key: string;
	label: string;
	route: AgentRoute;
	/** The shared Anthropic Chat Model's Prompt Caching option (5 minutes when on). */
	promptCaching: boolean;
};

/** One execution as measured: its time and the server's bill of its requests. */
export type ContenderRun = {
	wallMs: number;
	/** Requests that offered tools: the agent's turns. */
	turnRequests: number;
	/** Every request, summaries included. */
	requests: number;
	/** Every input token sent, however billed. */
	requestTokens: number;
	billing: InputBilling;
	billedInputTokens: number;
};

/** What report part `part` starts with, whole or shortened: request n carries part n - 1. */
const firstLineOf = (part: number) => `part=${part} line=1 `;

/** The text the scripted model's final answer starts with; the webhook's answer must carry it. */
const answerStart = 'I read all';

/**
 * Runs the scenario once with one contender: opens a fresh run on the billing server (its own
 * replies, prompt cache and ledger), calls the workflow's webhook, which answers when the execution
 * ends, and reads the bill. A run that does not end with the scripted answer, or whose requests do not
 * carry the parts the tool returned, is an error naming what n8n answered or what the model got.
 */
export async function runContender(server: BillingLlmServer, n8nUrl: string, webhookPath: string, scenario: InsideScenario, contender: Contender, label: string): Promise<ContenderRun> {
	const run = server.openRun(label, { caching: true, replies: insideReplies(scenario), summaryReply });
	const started = performance.now();
	const response = await postToWebhook(n8nUrl, webhookPath, { route: agentRoutes.indexOf(contender.route) });
	const wallMs = performance.now() - started;
	if (response.status !== 200 || !response.text.includes(answerStart)) {
		throw new Error(`${contender.label} did not finish the ${scenario.key} run (${label}): HTTP ${response.status} ${response.text.slice(0, 800)}`);
	}
	const missing = run.ledger.findIndex((request, index) => index > 0 && !request.latestToolResults.some((result) => result.includes(firstLineOf(index))));
	if (missing >= 0) {
		const results = run.ledger[missing].latestToolResults.map((result) => result.slice(0, 300));
		throw new Error(`${contender.label} sent request ${missing + 1} of the ${scenario.key} run (${label}) without report part ${missing} from the tool; its tool results begin: ${JSON.stringify(results)}`);
	}
	const billing = run.ledger.reduce(
		(sum, request) => ({
			inputTokens: sum.inputTokens + request.inputTokens,
			cacheReadTokens: sum.cacheReadTokens + request.cacheReadTokens,
			cacheWriteTokens: sum.cacheWriteTokens + request.cacheWriteTokens,
		}),
		{ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
	);
	return {
		wallMs,
		turnRequests: run.ledger.filter((request) => request.kind === 'turn').length,
		requests: run.ledger.length,
		requestTokens: run.ledger.reduce((sum, request) => sum + request.requestTokens, 0),
		billing,
		billedInputTokens: billedInputTokens(billing),
	};
}
