import { thinkTool } from '../../../../lib/engine/tools/builtin/think';
import { validateToolInput } from '../../../../lib/engine/tools/validate-tool-input';

describe('thinkTool', () => {
	const context = { toolCallId: 'call-1', signal: new AbortController().signal };

	it('acknowledges a thought and can run alongside other calls', async () => {
		expect(thinkTool.name).toBe('think');
		expect(thinkTool.concurrencySafe).toBe(true);
		expect(await thinkTool.execute({ thought: 'The user wants Celsius; convert before answering.' }, context)).toBe('Thought recorded.');
	});

	it('advertises a schema that requires the thought', () => {
		expect(thinkTool.inputSchema).toMatchObject({ type: 'object', required: ['thought'], properties: { thought: { type: 'string' } } });
		expect(validateToolInput(thinkTool, {})).toMatchObject({ ok: false, message: expect.stringContaining("must have required property 'thought'") });
	});
});
