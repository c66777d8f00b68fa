import type { Gate } from '../../../../lib/engine/tools/approval-gate';
import { runWorkflow } from '../../../support/n8n/run-workflow';
import { StartTestNode } from '../../../support/n8n/nodes/start-test-node';
import { ConditionProbeTestNode, probeRequests, type Probe, type ProbedCall } from './condition-probe-node';

/**
 * Tool Approvals conditions, compiled by n8n's real expression engine, against generated hostile
 * tool calls: overflowing numbers, prototype keys at any depth, `{{`/`}}`/`//`/backslashes/quotes
 * and newlines in keys and values, missing optional fields. The property: a validated call runs
 * exactly when the same condition, evaluated in plain JavaScript on the validated arguments, gives
 * `false` without error — so no call the condition would hold gets through, and no benign call is
 * held — and every call whose arguments are not plain data is refused (sent back to the model).
 */

type Condition = { expression: string; plain: (args: Record<string, unknown>, json: { limit: number }) => unknown };

const item = { limit: 100 };

const conditions: Condition[] = [
	{ expression: '{{ $args.amount > 100 }}', plain: (args) => (args.amount as number) > 100 },
	{ expression: '{{ !($args.amount <= 100) }}', plain: (args) => !((args.amount as number) <= 100) },
	{ expression: "{{ $args.to.endsWith('@corp.com') === false }}", plain: (args) => (args.to as string).endsWith('@corp.com') === false },
	{ expression: "{{ JSON.stringify($args).includes('delete') }}", plain: (args) => JSON.stringify(args).includes('delete') },
	{ expression: '{{ $args.amount > $json.limit }}', plain: (args, json) => (args.amount as number) > json.limit },
	{ expression: "{{ $args.note !== undefined && $args.note.includes('delete') }}", plain: (args) => args.note !== undefined && (args.note as string).includes('delete') },
	{ expression: "{{ $args.to === undefined || !$args.to.endsWith('@corp.com') }}", plain: (args) => args.to === undefined || !(args.to as string).endsWith('@corp.com') },
	{
		expression: "{{ Object.keys($args).some((key) => !['amount', 'to', 'note'].includes(key)) }}",
		plain: (args) => Object.keys(args).some((key) => !['amount', 'to', 'note'].includes(key)),
	},
];

/** A generated call: its wire text, and whether it carries something that is not plain data. */
type GeneratedCall = { argumentText: string; hostile: boolean };

const finiteAmounts = ['5', '100', '101', '5000', '-1', '0', '1.5', '1e300', '100.0000000001'];
const overflowingAmounts = ['1e400', '1e309', '-1e400', '2E999'];
const texts = [
	'a@corp.com', 'x@corp.com', 'evil@attacker.com', 'a@corp.com.evil.io', '}}', '{{ x }}', 'see {{ invoice }}', 'obj.constructor', '"}}"',
	'a\\b', 'line\nbreak', '// comment', '/* c */', 'delete everything', "it's", '`${x}`', '__proto__', '', ' ', 'constructor',
];
const extraKeys = ['recipient', '{{', '}}', 'a//b', 'quo"te', 'new\nline', 'back\\slash', '$args', 'toString', 'valueOf', 'hasOwnProperty'];
const prototypeKeys = ['__proto__', 'constructor', 'prototype'];

/** mulberry32: a small seeded generator, so a failure reproduces with the same seed. */
function randomSource(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

function generateCalls(seed: number, count: number): GeneratedCall[] {
	const random = randomSource(seed);
	const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
	const chance = (probability: number) => random() < probability;

	/** A nested value that may hide an overflow or a prototype key a few levels down. */
	function nested(depth: number): { text: string; hostile: boolean } {
		if (depth === 0 || chance(0.4)) {
			if (chance(0.15)) return { text: pick(overflowingAmounts), hostile: true };
			return { text: chance(0.5) ? JSON.stringify(pick(texts)) : pick(finiteAmounts), hostile: false };
		}
		if (chance(0.3)) {
			const elements = [nested(depth - 1), nested(depth - 1)];
			return { text: `[${elements.map((element) => element.text).join(',')}]`, hostile: elements.some((element) => element.hostile) };
		}
		const key = chance(0.25) ? pick(prototypeKeys) : pick([...extraKeys, 'note', 'to', 'amount']);
		const value = nested(depth - 1);
		return { text: `{${JSON.stringify(key)}:${value.text}}`, hostile: value.hostile || prototypeKeys.includes(key) };
	}

	return Array.from({ length: count }, () => {
		const fields: string[] = [];
		let hostile = false;
		const overflow = chance(0.15);
		hostile ||= overflow;
		fields.push(`"amount":${overflow ? pick(overflowingAmounts) : pick(finiteAmounts)}`);
		if (chance(0.7)) fields.push(`"to":${JSON.stringify(pick(texts))}`);
		if (chance(0.6)) fields.push(`"note":${JSON.stringify(pick(texts))}`);
		if (chance(0.35)) {
			const key = chance(0.4) ? pick(prototypeKeys) : pick(extraKeys);
			const value = nested(3);
			hostile ||= value.hostile || prototypeKeys.includes(key);
			fields.push(`${JSON.stringify(key)}:${value.text}`);
		}
		// Field order is the model's choice; a __proto__ key first or last must not matter.
		if (chance(0.5)) fields.reverse();
		return { argumentText: `{${fields.join(',')}}`, hostile };
	});
}

/** What the condition decides in plain JavaScript on the validated arguments: held unless exactly false. */
function heldInPlainJavaScript(condition: Condition, input: unknown): boolean {
	try {
		return condition.plain(structuredClone(input) as Record<string, unknown>, item) !== false;
	} catch {
		return true;
	}
}

async function probe(probes: Probe[]): Promise<ProbedCall[][]> {
	probeRequests.probes = probes;
	const result = await runWorkflow({
		nodeTypes: [StartTestNode, ConditionProbeTestNode],
		nodes: [{ name: 'Start', type: 'startTest' }, { name: 'Probe', type: 'conditionProbeTest' }],
		connections: { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
		inputItems: [item],
	});
	expect(result.status).toBe('success');
	expect(probeRequests.compileErrors).toEqual([]);
	return probeRequests.results;
}

const held = (call: ProbedCall): Gate | undefined => ('gate' in call ? call.gate : undefined);

describe('Tool Approvals conditions against generated hostile calls (n8n expression engine)', () => {
	const calls = generateCalls(20261207, 400);

	it('hold a validated call exactly when the condition in plain JavaScript would, and refuse every call that is not plain data', async () => {
		const results = await probe(conditions.map((condition) => ({ condition: condition.expression, argumentTexts: calls.map((call) => call.argumentText) })));
		let ran = 0;
		let heldCount = 0;
		conditions.forEach((condition, conditionIndex) => {
			results[conditionIndex].forEach((probed, callIndex) => {
				const generated = calls[callIndex];
				const context = `${condition.expression} on ${generated.argumentText}`;
				if ('refused' in probed) {
					expect({ context, hostile: generated.hostile }).toEqual({ context, hostile: true });
					return;
				}
				expect({ context, hostile: generated.hostile }).toEqual({ context, hostile: false });
				const expected = heldInPlainJavaScript(condition, probed.input);
				expect({ context, held: probed.gate.held }).toEqual({ context, held: expected });
				if (probed.gate.held) heldCount += 1;
				else ran += 1;
			});
		});
		// The generator reaches both sides of every condition often enough to mean something.
		expect(ran).toBeGreaterThan(300);
		expect(heldCount).toBeGreaterThan(300);
		// Arguments never become expression text: one text per condition (plus the shared $args probe), however many calls.
		expect(probeRequests.expressionTexts.size).toBe(conditions.length + 1);
	});

	it('refuses each bypass seen in the attack run instead of running the tool', async () => {
		const bypasses = [
			['{{ $args.amount > 100 }}', '{"amount":1e400,"to":"a@corp.com"}'],
			['{{ $args.amount > 100 }}', '{"amount":1e309,"to":"a@corp.com"}'],
			['{{ !($args.amount <= 100) }}', '{"amount":1e400,"to":"a@corp.com"}'],
			["{{ JSON.stringify($args).includes('delete') }}", '{"__proto__":{"note":"delete everything"},"amount":5,"to":"a@corp.com"}'],
			["{{ $args.amount > 100 || !$args.to.endsWith('@corp.com') }}", '{"__proto__":{"to":"x@corp.com"},"amount":5000,"recipient":"evil@attacker.com"}'],
		];
		const results = await probe(bypasses.map(([condition, argumentText]) => ({ condition, argumentTexts: [argumentText] })));
		for (const [probed] of results) {
			expect(probed).toEqual({ argumentText: expect.any(String), refused: expect.stringMatching(/too large for JSON|has the key "__proto__"/) });
		}
	});

	it('holds a call whose condition fails at run time, and says why', async () => {
		const [[probed]] = await probe([{ condition: "={{ $args.to.endsWith('@corp.com') === false }}", argumentTexts: ['{"amount":5000}'] }]);
		expect(held(probed)).toEqual({
			held: true,
			kind: 'approval',
			reason: expect.stringMatching(/^The approval condition \{\{ \$args\.to\.endsWith\('@corp\.com'\) === false \}\} could not be evaluated: Cannot read properties of undefined/),
		});
	});

	it('runs benign calls whose text looks like expression syntax', async () => {
		const benign = ['{"amount":5,"note":"}}"}', '{"amount":5,"note":"see {{ invoice }}"}', '{"amount":5,"note":"obj.constructor"}', '{"amount":5,"note":"a\\"b\\\\c // d\\n"}'];
		const [results] = await probe([{ condition: '{{ $args.amount > 100 }}', argumentTexts: benign }]);
		expect(results.map(held)).toEqual(benign.map(() => ({ held: false })));
	});
});
