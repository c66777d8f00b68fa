import { agentNodeNames, agentRoutes, comparisonWorkflow } from '../../../bench/inside-n8n/comparison-workflow';
import { insideReplies, insideScenarios, modelCalls, reportToolNodeName, reportToolResult } from '../../../bench/inside-n8n/inside-scenarios';

// The inside-n8n benchmark compares like with like only if both agents get the same sub-nodes, the
// same task and tool results of the scenario's size; n8n itself runs only under `npm run bench`.
const [short, long] = insideScenarios;
const credentials = { anthropicApi: { id: 'a', name: 'Anthropic' }, durableAgentAnthropicApi: { id: 'd', name: 'Durable' } };
const workflow = (promptCaching: boolean) => comparisonWorkflow({ id: 'bench', webhookPath: 'bench/short', scenario: short, promptCaching, credentials, storageFolder: '/tmp/bench-storage' });
type Connection = { node: string; type: string; index: number };
const targets = (connections: unknown, type: string): string[] => ((connections as Record<string, Connection[][]>)[type] ?? []).flat().map((connection) => connection.node);

describe('the comparison workflow', () => {
	it('routes each Switch output to one agent, in the order the runs ask for them', () => {
		const { connections } = workflow(false);
		expect((connections['Which Agent'] as { main: Connection[][] }).main.map((output) => output.map((connection) => connection.node))).toEqual(
			agentRoutes.map((route) => [agentNodeNames[route]]),
		);
	});

	it("connects one Anthropic Chat Model to n8n's agent and to Durable AI Agent's connected model, and one Code Tool to all three agents", () => {
		const { connections } = workflow(false);
		expect(targets(connections['Anthropic Chat Model'], 'ai_languageModel')).toEqual([agentNodeNames.n8nAgent, agentNodeNames.durableConnected]);
		expect(targets(connections[reportToolNodeName], 'ai_tool')).toEqual(agentRoutes.map((route) => agentNodeNames[route]));
	});

	it("sets Prompt Caching on the shared Chat Model only, and gives every agent the same instructions and task", () => {
		const node = (promptCaching: boolean, name: string) => workflow(promptCaching).nodes.find((candidate) => candidate.name === name)!;
		expect(node(true, 'Anthropic Chat Model').parameters.options).toEqual({ promptCaching: '5m' });
		expect(node(false, 'Anthropic Chat Model').parameters.options).toEqual({});
		const n8nAgent = node(false, agentNodeNames.n8nAgent).parameters as { text: string; options: { systemMessage: string } };
		for (const route of ['durableConnected', 'durableBuiltIn'] as const) {
			const durable = node(false, agentNodeNames[route]).parameters;
			expect({ instructions: durable.instructions, task: durable.task }).toEqual({ instructions: n8nAgent.options.systemMessage, task: n8nAgent.text });
		}
	});

	it('gives the tool a schema that accepts the extra fields n8n\'s agent passes along with the arguments', () => {
		const schema = JSON.parse(String(workflow(false).nodes.find((node) => node.name === reportToolNodeName)!.parameters.inputSchema)) as { additionalProperties?: unknown };
		expect(schema.additionalProperties).not.toBe(false);
	});
});

describe('the scenarios', () => {
	it('returns the same tool result for the same part, of the scenario\'s size, starting with the line the runs check for', () => {
		expect(reportToolResult(short, 3)).toBe(reportToolResult(short, 3));
		expect(Array.from({ length: short.toolTurns }, (_, index) => reportToolResult(short, index + 1).length)).toEqual(Array(short.toolTurns).fill(2_000));
		for (let part = 1; part <= long.toolTurns; part++) {
			const result = reportToolResult(long, part);
			expect(result.length).toBeGreaterThanOrEqual(30_000);
			expect(result.length).toBeLessThanOrEqual(60_000);
			expect(result).toContain(`part=${part} line=1 `);
		}
	});

	it('scripts one tool call per tool turn, then the answer', () => {
		for (const scenario of insideScenarios) {
			const replies = insideReplies(scenario);
			expect(replies).toHaveLength(modelCalls(scenario));
			expect(replies.slice(0, -1).map((reply) => reply.toolCalls?.[0]?.name)).toEqual(Array(scenario.toolTurns).fill(reportToolNodeName));
			expect(replies.at(-1)?.toolCalls).toBeUndefined();
		}
	});
});
