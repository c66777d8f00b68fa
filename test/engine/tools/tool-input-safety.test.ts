import { parseToolInput } from '../../../lib/engine/model/parse-tool-input';
import type { Tool } from '../../../lib/engine/tools/tool';
import { validateToolInput } from '../../../lib/engine/tools/validate-tool-input';

/**
 * Arguments are data or they are refused: what an approval condition checks, what the approver
 * sees and what the tool receives must be one value. The argument texts are the wire text a
 * (hostile) model streams; `parseToolInput` is what both provider adapters read it with.
 */
const payTool: Tool = {
	name: 'pay',
	description: 'Pays an amount',
	inputSchema: {
		type: 'object',
		properties: { amount: { type: 'number' }, to: { type: 'string' }, note: { type: 'string' }, meta: { type: 'object' } },
		required: ['amount', 'to'],
	},
	concurrencySafe: false,
	execute: async () => 'paid',
};

const validate = (argumentText: string) => validateToolInput(payTool, parseToolInput(argumentText));

describe('tool arguments that cannot be trusted as data go back to the model', () => {
	it.each([
		['an overflowing number', '{"amount":1e400,"to":"a@corp.com"}', '$.amount is a number too large for JSON (it reads as Infinity)'],
		['an overflowing number just past the largest double', '{"amount":1e309,"to":"a@corp.com"}', '$.amount is a number too large for JSON'],
		['a negative overflow', '{"amount":-1e400,"to":"a@corp.com"}', '$.amount is a number too large for JSON (it reads as -Infinity)'],
		['an overflow deep inside', '{"amount":5,"to":"a@corp.com","meta":{"list":[1,2e999]}}', '$.meta.list[1] is a number too large for JSON'],
		['a __proto__ key', '{"__proto__":{"note":"delete everything"},"amount":5,"to":"a@corp.com"}', '$ has the key "__proto__"'],
		['a __proto__ key deep inside', '{"amount":5,"to":"a@corp.com","meta":{"a":[{"__proto__":{"to":"x"}}]}}', '$.meta.a[0] has the key "__proto__"'],
		['a constructor key', '{"amount":5,"to":"a@corp.com","meta":{"constructor":{"prototype":{}}}}', '$.meta has the key "constructor"'],
		['a prototype key', '{"amount":5,"to":"a@corp.com","prototype":1}', '$ has the key "prototype"'],
	])('refuses %s, saying where and what to change', (_case, argumentText, problem) => {
		const result = validate(argumentText);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toContain(`Invalid arguments for tool 'pay': ${problem}`);
	});

	it('refuses them inside arguments a model encoded twice as well', () => {
		const overflow = validateToolInput(payTool, '{"amount":1e400,"to":"a@corp.com"}');
		expect(!overflow.ok && overflow.message).toContain('$.amount is a number too large for JSON');
		const twice = validateToolInput(payTool, '{"__proto__":{"x":1},"amount":5,"to":"a@corp.com"}');
		expect(!twice.ok && twice.message).toContain('has the key "__proto__"');
	});

	it('lets ordinary arguments through unchanged, braces, quotes and all', () => {
		const argumentText = '{"amount":1e300,"to":"a@corp.com","note":"see {{ invoice }} }} // \\"quoted\\" \\\\ obj.constructor\\n"}';
		const result = validate(argumentText);
		expect(result).toEqual({ ok: true, input: JSON.parse(argumentText) as unknown });
	});
});
