import { gateOf } from '../../../lib/engine/tools/approval-gate';
import type { ApprovalPolicy, Tool } from '../../../lib/engine/tools/tool';

const toolWith = (approval?: ApprovalPolicy): Tool => ({
	name: 'pay',
	description: 'Pays an amount',
	inputSchema: { type: 'object' },
	concurrencySafe: false,
	...(approval ? { approval } : {}),
	execute: async () => 'paid',
});

const condition = (evaluate: (args: unknown) => unknown): ApprovalPolicy => ({ type: 'when', condition: '{{ $args.amount > 100 }}', evaluate });

describe('an approval gate fails closed', () => {
	it('runs a call only when its condition gives exactly false', async () => {
		expect(await gateOf(toolWith(condition(() => false)), { amount: 5 })).toEqual({ held: false });
	});

	it('holds a call whose condition is true, and says which rule held it', async () => {
		expect(await gateOf(toolWith(condition(() => true)), { amount: 500 })).toEqual({
			held: true,
			kind: 'approval',
			reason: 'The approval condition {{ $args.amount > 100 }} is true for these arguments.',
		});
	});

	it.each([
		['nothing', undefined, 'gave nothing (undefined), not true or false'],
		['an empty text, as n8n gives for a swallowed error', '', 'gave a string (""), not true or false'],
		['the text "false"', 'false', 'gave a string ("false"), not true or false'],
		['null', null, 'gave null, not true or false'],
		['NaN', Number.NaN, 'gave NaN, not true or false'],
		['zero', 0, 'gave a number (0), not true or false'],
		['an object', { ok: false }, 'gave an object ({"ok":false}), not true or false'],
	])('holds a call whose condition gives %s', async (_case, value, reason) => {
		const gate = await gateOf(toolWith(condition(() => value)), { amount: 5 });
		expect(gate).toEqual({ held: true, kind: 'approval', reason: expect.stringContaining(reason) });
		expect(gate.held && gate.reason).toContain('A call is held unless its condition gives exactly false.');
	});

	it('holds a call whose condition throws, with the error for the approver', async () => {
		const gate = await gateOf(
			toolWith(
				condition((args) => (args as { to: string }).to.endsWith('@corp.com') === false),
			),
			{ amount: 5000 },
		);
		expect(gate).toEqual({ held: true, kind: 'approval', reason: expect.stringContaining('could not be evaluated: Cannot read properties of undefined') });
	});

	it('holds a call whose condition answers with a rejected promise', async () => {
		const gate = await gateOf(toolWith(condition(async () => Promise.reject(new Error('lookup failed')))), { amount: 5 });
		expect(gate).toEqual({ held: true, kind: 'approval', reason: expect.stringContaining('could not be evaluated: lookup failed') });
	});

	it('shows the condition a frozen copy: it cannot change what the tool receives', async () => {
		const input = { amount: 5000, nested: { to: 'a@corp.com' } };
		const gate = await gateOf(
			toolWith(
				condition((args) => {
					(args as { amount: number }).amount = 1;
					return false;
				}),
			),
			input,
		);
		expect(gate).toEqual({ held: true, kind: 'approval', reason: expect.stringContaining('could not be evaluated') });
		expect(input).toEqual({ amount: 5000, nested: { to: 'a@corp.com' } });
	});

	it('holds every call of an Always rule and every ask_human question; runs tools without a rule', async () => {
		expect(await gateOf(toolWith({ type: 'always' }), {})).toEqual({ held: true, kind: 'approval', reason: "Every call of 'pay' needs approval (Tool Approvals: Always)." });
		expect(await gateOf(toolWith({ type: 'question' }), { question: 'Which?' })).toEqual({ held: true, kind: 'question' });
		expect(await gateOf(toolWith(), { amount: 1e9 })).toEqual({ held: false });
	});
});
