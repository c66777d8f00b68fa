import type { Step } from '../support/scripted-llm-server';
import { nodeOutput, nodeRunCount, type Execution } from './support/executions';
import { runThroughWebhook, useScriptedN8n } from './support/scripted-suite';
import type { Workflow } from './support/workflows';

/**
 * The approval-gate bypasses of the attack run, each end to end in a real n8n (whose default
 * expression engine is the isolated one): a hostile scripted model calls a gated Code Tool `Pay`;
 * the tool never runs unreviewed, and a benign call that looks like expression syntax is not held.
 */

const suite = useScriptedN8n('approval-gates');
let deployed = 0;

const agentName = 'Pay Agent';

/** Webhook → Durable AI Agent with a Code Tool `Pay` gated by `condition`, published under its own path. */
async function deployPayWorkflow(condition: string): Promise<Workflow> {
	deployed += 1;
	const workflow: Workflow = {
		id: `durableAgentGates${deployed}`,
		name: `Gated payments ${deployed}`,
		nodes: [
			{
				id: `gates-${deployed}-webhook`,
				name: 'Pay Request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `5a1c9d2e-0000-4000-8000-00000000000${deployed}`,
				parameters: { httpMethod: 'POST', path: `durable-agent/gates-${deployed}`, responseMode: 'onReceived', options: {} },
			},
			{
				id: `gates-${deployed}-agent`,
				name: agentName,
				type: 'n8n-nodes-durable-agent.durableAgent',
				typeVersion: 1,
				position: [260, 0],
				credentials: { durableAgentOpenAiCompatibleApi: suite.credential },
				parameters: {
					provider: 'openAiCompatible',
					model: 'gpt-test',
					task: '=Pay: {{ $json.body.request }}',
					toolApprovals: { rules: [{ toolName: 'Pay', when: 'condition', condition }] },
					options: { localFolder: suite.n8n.storageFolder, maxRetries: 0 },
				},
			},
			{
				id: `gates-${deployed}-pay`,
				name: 'Pay',
				type: '@n8n/n8n-nodes-langchain.toolCode',
				typeVersion: 1.3,
				position: [260, 240],
				parameters: {
					description: 'Pays an amount to a recipient.',
					language: 'javaScript',
					jsCode: "return 'paid ' + JSON.stringify(query);",
					specifyInputSchema: true,
					schemaType: 'manual',
					inputSchema: JSON.stringify({
						type: 'object',
						properties: { amount: { type: 'number' }, to: { type: 'string' }, note: { type: 'string' } },
						required: ['amount'],
					}),
				},
			},
		],
		connections: {
			'Pay Request': { main: [[{ node: agentName, type: 'main', index: 0 }]] },
			Pay: { ai_tool: [[{ node: agentName, type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	await suite.n8n.rest.createAndPublishWorkflow(workflow);
	return workflow;
}

/** Sends one request and returns its finished execution. */
async function payThrough(workflow: Workflow, steps: Step[]): Promise<Execution> {
	suite.llm.load(steps);
	const execution = await runThroughWebhook(suite.n8n, workflow, { request: 'the invoice' });
	expect(suite.llm.expectationFailures).toEqual([]);
	return execution;
}

const payCall = (argumentText: string): Step => ({ kind: 'reply', text: 'Paying.', toolCalls: [{ id: 'call_pay', name: 'Pay', arguments: argumentText }] });
const refusedWith = (problem: string): Step => ({ kind: 'reply', text: 'I could not pay.', expect: { toolResults: [{ toolCallId: 'call_pay', isError: true, outputIncludes: problem }] } });

describe('approval gates in a real n8n', () => {
	it.each([
		['an overflowing amount (1e400)', '={{ $args.amount > 100 }}', '{"amount":1e400,"to":"a@corp.com"}', 'too large for JSON'],
		['an overflowing amount (1e309) against a negated rule', '={{ !($args.amount <= 100) }}', '{"amount":1e309,"to":"a@corp.com"}', 'too large for JSON'],
		['a __proto__ key hiding "delete"', "={{ JSON.stringify($args).includes('delete') }}", '{"__proto__":{"note":"delete everything"},"amount":5,"to":"a@corp.com"}', 'has the key "__proto__"'],
		[
			'a __proto__ key supplying the recipient',
			"={{ $args.amount > 100 || !$args.to.endsWith('@corp.com') }}",
			'{"__proto__":{"to":"x@corp.com"},"amount":5000,"recipient":"evil@attacker.com"}',
			'has the key "__proto__"',
		],
	])('refuses %s: the model is told, Pay never runs', async (_case, condition, argumentText, problem) => {
		const workflow = await deployPayWorkflow(condition);
		const execution = await payThrough(workflow, [payCall(argumentText), refusedWith(problem)]);

		expect(nodeOutput(execution, agentName)).toEqual([expect.objectContaining({ status: 'done', output: 'I could not pay.' })]);
		expect(nodeRunCount(execution, 'Pay')).toBe(0);
	});

	it('holds a call whose condition fails at run time, saying why, and runs a benign one that looks like expression syntax', async () => {
		const workflow = await deployPayWorkflow("={{ $args.to.endsWith('@corp.com') === false }}");

		const held = await payThrough(workflow, [payCall('{"amount":5000}')]);
		expect(nodeOutput(held, agentName, { output: 1 })).toEqual([
			expect.objectContaining({
				status: 'paused',
				pending: [expect.objectContaining({ toolName: 'Pay', reason: expect.stringContaining('could not be evaluated: Cannot read properties of undefined') })],
			}),
		]);
		expect(nodeRunCount(held, 'Pay')).toBe(0);

		const benign = await payThrough(workflow, [payCall('{"amount":5,"to":"a@corp.com","note":"see {{ invoice }} }}"}'), { kind: 'reply', text: 'Paid.' }]);
		expect(nodeOutput(benign, agentName)).toEqual([expect.objectContaining({ status: 'done', output: 'Paid.' })]);
		expect(nodeRunCount(benign, 'Pay')).toBe(1);
	});
});
