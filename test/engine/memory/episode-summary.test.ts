import { episodeSummary } from '../../../lib/engine/memory/episode-summary';

describe('episodeSummary', () => {
	it('records a failed run with its error and no tools', () => {
		expect(episodeSummary({ runId: 'r', task: 'Book a room', status: 'failed', error: 'max_turns: the run used all 10 turns', toolsUsed: [] })).toBe(
			'Task: Book a room\nOutcome: failed\nError: max_turns: the run used all 10 turns\nTools used: none',
		);
	});

	it('keeps long tasks and answers short, on one line each', () => {
		const summary = episodeSummary({ runId: 'r', task: `Line one\n\nline two ${'word '.repeat(200)}`, status: 'done', answer: 'a'.repeat(5000), toolsUsed: [] });
		const [task, , answer] = summary.split('\n');

		expect(task).toMatch(/^Task: Line one line two word/);
		expect(task.length).toBeLessThanOrEqual('Task: '.length + 300);
		expect(task.endsWith('…')).toBe(true);
		expect(answer.length).toBeLessThanOrEqual('Answer: '.length + 400);
		expect(summary.length).toBeLessThan(800);
	});

	it('lists each tool once and cuts a long tool list', () => {
		const tools = Array.from({ length: 20 }, (_, index) => `tool_${index}`);
		expect(episodeSummary({ runId: 'r', task: 't', status: 'done', answer: '', toolsUsed: [...tools, 'tool_0'] })).toBe(
			`Task: t\nOutcome: done\nTools used: ${tools.slice(0, 15).join(', ')} and 5 more`,
		);
	});
});
