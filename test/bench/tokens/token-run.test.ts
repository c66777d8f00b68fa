import { startBillingLlmServer, type BillingLlmServer } from '../../../bench/tokens/billing-llm-server';
import { runTokenTask } from '../../../bench/tokens/token-run';

/**
 * The token section compares configurations of one scripted task; these checks keep each
 * configuration meaning what its label says, whatever the engine's field names become.
 */
let server: BillingLlmServer;
beforeAll(async () => {
	server = await startBillingLlmServer();
});
afterAll(() => server.close());

describe('the token benchmark task', () => {
	it('sends smaller requests with context management on than off, by the third turn', async () => {
		const off = await runTokenTask(server, { key: 'off', label: 'both off', caching: false, contextManagement: false }, 4);
		const on = await runTokenTask(server, { key: 'contextOnly', label: 'context management only', caching: false, contextManagement: true }, 4);

		const lastRequest = (calls: typeof off.calls) => calls[calls.length - 1].requestTokens;
		expect(lastRequest(on.calls)).toBeLessThan(lastRequest(off.calls) / 2);
	});

	it('reads from the cache with prompt caching on, and never with it off', async () => {
		const off = await runTokenTask(server, { key: 'off2', label: 'both off', caching: false, contextManagement: false }, 3);
		const on = await runTokenTask(server, { key: 'cachingOnly', label: 'prompt caching only', caching: true, contextManagement: false }, 3);

		expect(off.usage.cacheReadTokens).toBe(0);
		expect(on.usage.cacheReadTokens).toBeGreaterThan(0);
	});
});
