import { createAgentMemory, type AgentMemoryOptions, type MemoryPort } from '../../../lib/engine/memory';
import type { Tool } from '../../../lib/engine/tools/tool';
import { validateToolInput } from '../../../lib/engine/tools/validate-tool-input';
import { fakeMemoryPort, sequentialIds, storedEntry, testNow, toolContext } from './memory-fakes';

function memoryOn(port: MemoryPort, options: Partial<AgentMemoryOptions> = {}) {
	return createAgentMemory(port, { mode: 'read-write', instructions: '', promptBudgetTokens: 1000, now: () => testNow, newId: sequentialIds(), ...options });
}

/** Calls a tool the way the engine does: validate the model's arguments, then execute with the result. */
async function callTool(tools: readonly Tool[], name: string, input: unknown): Promise<unknown> {
	const tool = tools.find((candidate) => candidate.name === name);
	if (tool === undefined) throw new Error(`No tool ${name}; tools: ${tools.map((candidate) => candidate.name).join(', ')}`);
	const validation = validateToolInput(tool, input);
	if (!validation.ok) return `invalid: ${validation.message}`;
	return await tool.execute(validation.input, toolContext);
}

const entryLines = (block: string) => block.split('\n').filter((line) => line.startsWith('- ['));

describe('memory prompt block', () => {
	it('is empty when there are no instructions and no entries', async () => {
		expect(await memoryOn(fakeMemoryPort().port).promptBlock('Any task')).toBe('');
	});

	it('puts the standing instructions first, then the entries most relevant to the task', async () => {
		const { port } = fakeMemoryPort([
			storedEntry('The office coffee machine is broken.', { importance: 4, ageDays: 2 }),
			storedEntry('Customer ACME wants invoices in EUR.', { importance: 3, ageDays: 30, tags: ['billing'] }),
		]);
		const block = await memoryOn(port, { mode: 'read-only', instructions: 'Always answer in German.' }).promptBlock('Write the invoice for ACME');

		expect(block.indexOf('Always answer in German.')).toBeLessThan(block.indexOf('ACME'));
		expect(entryLines(block)).toEqual([
			expect.stringMatching(/^- \[fact · 2025-01-30 · importance 3 · tags billing · id 20250130T120000000Z-\d+\] Customer ACME wants invoices in EUR\.$/),
			expect.stringContaining('coffee machine'),
		]);
		expect(block).not.toContain('remember');
	});

	it('keeps entries within the token budget and says how many more recall can find', async () => {
		const entries = Array.from({ length: 10 }, (_, index) => storedEntry(`Supplier number ${index} delivers on ${'Mondays and '.repeat(5)}Fridays.`, { ageDays: index + 1 }));
		const budgetTokens = 100;
		const block = await memoryOn(fakeMemoryPort(entries).port, { promptBudgetTokens: budgetTokens }).promptBlock('When does supplier 3 deliver?');
		const lines = entryLines(block);

		expect(lines.length).toBeGreaterThan(0);
		expect(lines.length).toBeLessThan(10);
		expect(lines.reduce((tokens, line) => tokens + Math.ceil(line.length / 4), 0)).toBeLessThanOrEqual(budgetTokens);
		expect(block).toContain(`${10 - lines.length} more memory entries are stored; call \`recall\``);
		expect(block).toContain('Call `remember`');
	});

	it('passes over an entry too long for the rest of the budget and shows smaller ones after it', async () => {
		const long = storedEntry(`Project Falcon: ${'detail '.repeat(200)}`, { importance: 5 });
		const short = storedEntry('Project Falcon ends in May.', { importance: 1 });
		const block = await memoryOn(fakeMemoryPort([long, short]).port, { promptBudgetTokens: 60 }).promptBlock('Project Falcon status');

		expect(entryLines(block)).toEqual([expect.stringContaining('Project Falcon ends in May.')]);
		expect(block).toContain('1 more memory entry is stored');
	});

	it('shows only the instructions with a budget of 0, and mentions unreadable entries the port reported', async () => {
		const { port } = fakeMemoryPort([storedEntry('A fact.')], { warnings: ['Note: 2 stored memory entries of scope "s" could not be read.'] });
		const block = await memoryOn(port, { promptBudgetTokens: 0, instructions: 'Be brief.' }).promptBlock('Task');

		expect(entryLines(block)).toEqual([]);
		expect(block).toContain('Be brief.');
		expect(block).toContain('1 more memory entry is stored');
		expect(block).toContain('2 stored memory entries of scope "s" could not be read');
	});
});

describe('memory tools', () => {
	it('offers recall in read-only mode and recall plus remember in read-write mode', () => {
		expect(memoryOn(fakeMemoryPort().port, { mode: 'read-only' }).tools.map((tool) => tool.name)).toEqual(['recall']);
		expect(memoryOn(fakeMemoryPort().port).tools.map((tool) => tool.name)).toEqual(['recall', 'remember']);
	});

	it('remember stores a fact with the defaults and a time-sortable id', async () => {
		const { port, stored } = fakeMemoryPort();
		const memory = memoryOn(port);

		expect(await callTool(memory.tools, 'remember', { content: 'ACME pays within 30 days.' })).toBe('Remembered as fact 20250301T120000000Z-random1.');
		expect(await callTool(memory.tools, 'remember', { content: 'Check the VAT id first.', kind: 'lesson', importance: 5, tags: ['vat', 'vat'] })).toMatch(/^Remembered as lesson /);
		expect(stored).toEqual([
			{ id: '20250301T120000000Z-random1', kind: 'fact', content: 'ACME pays within 30 days.', importance: 3, tags: [], createdAt: '2025-03-01T12:00:00.000Z' },
			{ id: '20250301T120000000Z-random2', kind: 'lesson', content: 'Check the VAT id first.', importance: 5, tags: ['vat'], createdAt: '2025-03-01T12:00:00.000Z' },
		]);
	});

	it('remember refuses invalid input with a message the model can act on, and stores nothing', async () => {
		const { port, stored } = fakeMemoryPort();
		const { tools } = memoryOn(port);

		expect(await callTool(tools, 'remember', {})).toMatch(/invalid: .*must have required property 'content'/);
		expect(await callTool(tools, 'remember', { content: 'x', importance: 7 })).toMatch(/invalid: .*importance.*must be <= 5/);
		expect(await callTool(tools, 'remember', { content: 'x'.repeat(2001) })).toMatch(/invalid: .*must NOT have more than 2000 characters/);
		expect(await callTool(tools, 'remember', { content: 'x', kind: 'episode' })).toMatch(/invalid: .*kind/);
		expect(await callTool(tools, 'remember', { content: '   ' })).toMatch(/invalid: .*content/);
		expect(stored).toEqual([]);
	});

	it('remember does not store the same fact twice', async () => {
		const existing = storedEntry('ACME pays within 30 days.');
		const { port, stored } = fakeMemoryPort([existing]);

		expect(await callTool(memoryOn(port).tools, 'remember', { content: '  acme pays within\n30 days. ' })).toBe(`Already remembered as ${existing.id}; nothing new was stored.`);
		expect(stored).toHaveLength(1);
	});

	it('recall finds entries that did not fit in the prompt and entries remembered in this run', async () => {
		const entries = [storedEntry('The Oslo warehouse closes at 4 pm.'), storedEntry('Invoices go to billing@acme.test.')];
		const fake = fakeMemoryPort(entries);
		const memory = memoryOn(fake.port, { promptBudgetTokens: 0 });

		expect(entryLines(await memory.promptBlock('Plan the delivery'))).toEqual([]);
		expect(await callTool(memory.tools, 'recall', { query: 'warehouse Oslo' })).toBe(
			`1 of 1 matching memory entries, best first:\n- [fact · 2025-02-28 · importance 3 · id ${entries[0].id}] The Oslo warehouse closes at 4 pm.`,
		);
		await callTool(memory.tools, 'remember', { content: 'The Oslo warehouse is closed on Sundays.' });
		expect(await callTool(memory.tools, 'recall', { query: 'Oslo', limit: 1 })).toMatch(/^1 of 2 matching memory entries, best first:\n- \[fact .*\] The Oslo warehouse/);
		// The scope is listed once per run, however often recall is called.
		expect(fake.listCalls()).toBe(1);
	});

	it('recall says so when nothing matches or the query has no words', async () => {
		const { tools } = memoryOn(fakeMemoryPort([storedEntry('Berlin office.')]).port, { mode: 'read-only' });
		expect(await callTool(tools, 'recall', { query: 'Tokyo' })).toBe('No memory entries match "Tokyo" (1 searched). Try other words, or continue without memory.');
		expect(await callTool(tools, 'recall', { query: 'the of' })).toMatch(/has no words to search for/);
		expect(await callTool(tools, 'recall', {})).toMatch(/invalid: .*must have required property 'query'/);
	});

	it('lists again after a failed listing instead of keeping the failure', async () => {
		let attempts = 0;
		const port: MemoryPort = {
			async list() {
				attempts += 1;
				if (attempts === 1) throw new Error('bucket unreachable');
				return [storedEntry('Paris.')];
			},
			async write() {
				return { stored: true };
			},
		};
		const memory = memoryOn(port);
		await expect(memory.promptBlock('Paris')).rejects.toThrow('bucket unreachable');
		expect(await memory.promptBlock('Paris')).toContain('Paris.');
	});
});

describe('recordEpisode', () => {
	const episode = { runId: 'run-7', task: 'Summarise the report', status: 'done' as const, answer: 'Sales grew 4%.', toolsUsed: ['http_request', 'think', 'http_request'] };

	it('stores one episode summary per run in read-write mode', async () => {
		const { port, stored } = fakeMemoryPort();
		expect(await memoryOn(port).recordEpisode(episode)).toBeUndefined();
		expect(stored).toEqual([
			{
				id: '20250301T120000000Z-random1',
				kind: 'episode',
				content: 'Task: Summarise the report\nOutcome: done\nAnswer: Sales grew 4%.\nTools used: http_request, think',
				importance: 2,
				tags: [],
				createdAt: '2025-03-01T12:00:00.000Z',
				runId: 'run-7',
			},
		]);
	});

	it('writes nothing in read-only mode', async () => {
		const { port, stored } = fakeMemoryPort();
		expect(await memoryOn(port, { mode: 'read-only' }).recordEpisode(episode)).toBeUndefined();
		expect(stored).toEqual([]);
	});

	it('returns a warning instead of throwing when storage fails', async () => {
		const { port } = fakeMemoryPort([], { failWrites: true });
		expect(await memoryOn(port).recordEpisode(episode)).toBe(
			"Memory: the summary of run run-7 could not be stored (the disk is full). The run's result is not affected.",
		);
	});
});
