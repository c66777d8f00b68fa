import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import type { PausedItemJson } from '../../../lib/resume';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { PaymentToolTestNode, recordedPayments } from '../../support/n8n/nodes/payment-tool-test-node';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { startScriptedLlmServer, type ScriptedLlmServer, type Step } from '../../support/scripted-llm-server';

/**
 * Each way a hostile model got a conditionally gated tool to run without approval in the attack
 * run, through the Durable AI Agent node in n8n-core's WorkflowExecute: the `pay` tool sub-node
 * never runs for them, and benign calls that merely look like expression syntax are not held.
 */

let server: ScriptedLlmServer;
let storageFolder: string;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(async () => {
	recordedPayments.length = 0;
	storageFolder = await mkdtemp(join(tmpdir(), 'durable-agent-gates-'));
});
afterEach(async () => {
	await rm(storageFolder, { recursive: true, force: true });
});

const payCall = (argumentText: string): Step => ({ kind: 'reply', text: 'Paying.', toolCalls: [{ id: 'call_pay', name: 'pay', arguments: argumentText }] });

async function runPayAgent(condition: string, inputItem: IDataObject = {}) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, PaymentToolTestNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{
				name: 'Agent',
				id: 'agent-node-id',
				type: 'durableAgent',
				parameters: {
					provider: 'openAiCompatible',
					model: 'gpt-test',
					task: 'Pay the invoice.',
					toolApprovals: { rules: [{ toolName: 'pay', when: 'condition', condition }] },
					storage: 'localDisk',
					options: { localFolder: storageFolder, maxRetries: 0 },
				},
			},
			{ name: 'Pay', type: 'paymentTool' },
		],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			Pay: { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		inputItems: [inputItem],
		credentials: { durableAgentOpenAiCompatibleApi: { apiKey: 'k', baseUrl: server.openaiBaseUrl } },
		workflowId: 'wf-gates',
	});
}

describe('conditionally gated tools in the Durable AI Agent node', () => {
	it.each([
		['an overflowing amount (1e400)', '={{ $args.amount > 100 }}', '{"amount":1e400,"to":"a@corp.com"}', 'is a number too large for JSON'],
		['an overflowing amount (1e309) against a negated rule', '={{ !($args.amount <= 100) }}', '{"amount":1e309,"to":"a@corp.com"}', 'is a number too large for JSON'],
		['a __proto__ key hiding the note', "={{ JSON.stringify($args).includes('delete') }}", '{"__proto__":{"note":"delete everything"},"amount":5,"to":"a@corp.com"}', 'has the key "__proto__"'],
		[
			'a __proto__ key supplying the recipient',
			"={{ $args.to === undefined || !$args.to.endsWith('@corp.com') }}",
			'{"__proto__":{"to":"x@corp.com"},"amount":5000,"recipient":"evil@attacker.com"}',
			'has the key "__proto__"',
		],
	])('sends %s back to the model as invalid input; the tool never runs', async (_case, condition, argumentText, problem) => {
		server.load([payCall(argumentText), { kind: 'reply', text: 'I could not pay.', expect: { toolResults: [{ toolCallId: 'call_pay', isError: true, outputIncludes: problem }] } }]);

		const result = await runPayAgent(condition);

		expect(server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'I could not pay.' })]);
		expect(recordedPayments).toEqual([]);
	});

	it('holds a call whose condition fails at run time, and the Needs Approval item says why', async () => {
		server.load([payCall('{"amount":5000}')]);

		const result = await runPayAgent("={{ $args.to.endsWith('@corp.com') === false }}");

		const [paused] = outputJson(result, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(paused.pending).toEqual([
			expect.objectContaining({
				toolName: 'pay',
				reason: expect.stringMatching(/^The approval condition \{\{ \$args\.to\.endsWith\('@corp\.com'\) === false \}\} could not be evaluated: Cannot read properties of undefined/),
			}),
		]);
		expect(recordedPayments).toEqual([]);
	});

	it('runs benign calls whose notes look like expression syntax, and holds the large ones with the rule as the reason', async () => {
		for (const note of ['}}', 'see {{ invoice }}', 'obj.constructor']) {
			server.load([payCall(JSON.stringify({ amount: 5, note })), { kind: 'reply', text: 'Paid.' }]);
			const result = await runPayAgent('={{ $args.amount > $json.limit }}', { limit: 100 });
			expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'Paid.' })]);
		}
		expect(recordedPayments).toEqual([{ amount: 5, note: '}}' }, { amount: 5, note: 'see {{ invoice }}' }, { amount: 5, note: 'obj.constructor' }]);

		server.load([payCall('{"amount":5000,"note":"}}"}')]);
		const held = await runPayAgent('={{ $args.amount > $json.limit }}', { limit: 100 });
		const [paused] = outputJson(held, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(paused.pending[0].reason).toBe('The approval condition {{ $args.amount > $json.limit }} is true for these arguments.');
		expect(recordedPayments).toHaveLength(3);
	});

	it('fails the item at its start when the condition is not one valid expression, before any model call', async () => {
		server.load([]);
		for (const [condition, problem] of [
			['={{ $args.amount > }}', 'n8n could not read it'],
			['={{ $args.amount > 100 }} and {{ $args.to }}', 'is more than one {{ … }} expression'],
			['amount > 100', 'is not one {{ … }} expression'],
		]) {
			const result = await runPayAgent(condition);
			expect(result.error?.message).toContain(`The approval condition for tool 'pay' cannot be used: `);
			expect(result.error?.message).toContain(problem);
		}
		expect(server.requests).toEqual([]);
	});
});
