import { defaultContextPolicy, runAgent, type AgentSpec, type Tool } from '../../../lib/engine';
import { summaryInstructions } from '../../../lib/engine/context/summary-prompt';
import type { LanguageModel, ModelResponse } from '../../../lib/engine/model/language-model';
import { textReply, toolCallsReply } from '../../support/fake-model';
import { recordingRunStore } from '../../support/recording-run-store';

const page: Tool = { name: 'fetch_page', description: 'a page', inputSchema: { type: 'object' }, concurrencySafe: false, readOnly: true, execute: async () => 'w'.repeat(6_000) };

/** The run's own turns in order; every summarising request gets an empty answer that was billed. */
function modelWithEmptySummaries(turns: ModelResponse[]) {
	const summaryCalls: number[] = [];
	const model: LanguageModel = {
		provider: 'anthropic',
		modelId: 'fake-model',
		supportsStructuredOutput: false,
		async generate(request) {
			if (request.system === summaryInstructions) {
				summaryCalls.push(summaryCalls.length + 1);
				return textReply('  ', { input: 1_000, output: 1 });
			}
			const next = turns.shift();
			if (next === undefined) throw new Error('no turn scripted');
			return next;
		},
	};
	return { model, summaryCalls };
}

describe('summaries inside a run', () => {
	it('counts a summarising call that answered without a summary: it was billed, so it counts toward usage and budgets', async () => {
		const turns = [1, 2, 3, 4, 5].map((turn) => toolCallsReply([{ id: `call_${turn}`, name: 'fetch_page', input: {} }]));
		const { model, summaryCalls } = modelWithEmptySummaries([...turns, textReply('Done.')]);
		const store = recordingRunStore();
		const spec: AgentSpec = {
			model,
			instructions: '',
			tools: [page],
			output: { type: 'text' },
			limits: { maxTurns: 10, toolConcurrency: 1, maxOutputTokensPerTurn: 100 },
			retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
			contextPolicy: { ...defaultContextPolicy(3_000), keepRecentToolResults: 10 },
		};

		const outcome = await runAgent(spec, { runId: 'r', task: 'Read the pages.' }, { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => 'id' });

		expect(outcome.status).toBe('done');
		expect(summaryCalls.length).toBeGreaterThan(0);
		// Six main turns of 10 input tokens each (fake usage), plus 1 000 for every billed summary call.
		expect(outcome.usage.inputTokens).toBe(6 * 10 + summaryCalls.length * 1_000);
		const failed = [...store.turns.values()].flat().filter((entry) => entry.type === 'summary-failed');
		expect(failed).toHaveLength(summaryCalls.length);
		expect(failed[0]).toMatchObject({ usage: { inputTokens: 1_000 } });
	});
});
