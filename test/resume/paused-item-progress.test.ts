import type { PausedItemJson } from '../../lib/resume';
import { outputJson } from '../support/n8n/run-workflow';
import { decisionItem, useWeatherAgent, weatherCall } from '../nodes/AgentNode/support/weather-agent-harness';

const agent = useWeatherAgent();

/** The Needs Approval item says which pause of its run it is and what the run cost so far, so a workflow can notify again. */

const withPrices = (localFolder: string) => ({
	options: { localFolder, itemConcurrency: 1, maxRetries: 0, priceTable: '{"gpt-test": {"input": 2, "output": 8, "cacheRead": 0.2, "cacheWrite": 2.5}}' },
});

describe('A paused item', () => {
	it('is pause 1 of its run, then pause 2 when the run pauses again after the decision, with the estimated cost so far', async () => {
		agent.server.load([weatherCall('Paris')]);
		const started = await agent.run([{ city: 'Paris' }], withPrices(agent.storageFolder));
		const first = outputJson(started, 'Agent', { output: 1 })[0] as unknown as PausedItemJson;
		agent.server.load([weatherCall('Lyon')]);

		const result = await agent.run([decisionItem(first, [{ toolCallId: 'call_Paris', decision: 'approve' }])], withPrices(agent.storageFolder));

		const [second] = outputJson(result, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(second.pending).toEqual([expect.objectContaining({ toolCallId: 'call_Lyon' })]);
		expect([first.pauseNumber, second.pauseNumber]).toEqual([1, 2]);
		expect(second.runId).toBe(first.runId);
		const costOf = ({ usage }: PausedItemJson) => (usage.inputTokens * 2 + usage.outputTokens * 8 + usage.cacheReadTokens * 0.2 + usage.cacheWriteTokens * 2.5) / 1_000_000;
		expect(first.costUsd).toBeCloseTo(costOf(first), 12);
		expect(second.costUsd).toBeCloseTo(costOf(second), 12);
		expect(second.costUsd).toBeGreaterThan(first.costUsd ?? Infinity);
	});

	it('carries no cost when the model has no price', async () => {
		const paused = await agent.pausedItem();

		expect(paused.pauseNumber).toBe(1);
		expect(paused).not.toHaveProperty('costUsd');
	});
});
