import { outputJson, runWorkflow, type TestWorkflowNode } from '../../../support/n8n/run-workflow';
import { GreetingToolTestNode } from '../../../support/n8n/nodes/greeting-tool-test-node';
import { StartTestNode } from '../../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../../support/n8n/nodes/test-tool-node';
import { ToolConsumerTestNode } from '../../../support/n8n/nodes/tool-consumer-test-node';

const nodeTypes = [StartTestNode, ToolConsumerTestNode, TestToolNode, GreetingToolTestNode];

function runConsumerWith(toolNodes: TestWorkflowNode[], toolInput: string, inputItems: Array<Record<string, string>>) {
	return runWorkflow({
		nodeTypes,
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{ name: 'Consumer', type: 'toolConsumerTest', parameters: { toolInput } },
			...toolNodes,
		],
		connections: {
			Start: { main: [[{ node: 'Consumer', type: 'main', index: 0 }]] },
			...Object.fromEntries(
				toolNodes.map((toolNode) => [toolNode.name, { ai_tool: [[{ node: 'Consumer', type: 'ai_tool', index: 0 }]] }]),
			),
		},
		inputItems,
	});
}

describe('tools connected to a node through ai_tool, in a real n8n execution', () => {
	beforeEach(() => {
		recordedToolCalls.length = 0;
	});

	it('supplies a sub-node tool that runs once per item with the argument from that item', async () => {
		const result = await runConsumerWith(
			[{ name: 'Weather Tool', type: 'testTool', parameters: { weather: 'rainy' } }],
			'={{ JSON.stringify({ city: $json.city }) }}',
			[{ city: 'Oslo' }, { city: 'Lima' }],
		);

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Consumer')).toEqual([
			{ toolNames: ['get_weather'], result: 'rainy in Oslo' },
			{ toolNames: ['get_weather'], result: 'rainy in Lima' },
		]);
		expect(recordedToolCalls).toEqual([
			{ toolName: 'get_weather', input: { city: 'Oslo' } },
			{ toolName: 'get_weather', input: { city: 'Lima' } },
		]);
	});

	it('supplies a regular node in its tool form, named after the node and filled through $fromAI()', async () => {
		const result = await runConsumerWith(
			[{ name: 'Greet Someone', type: 'greetingToolTest', parameters: { name: "={{ $fromAI('name', 'Who to greet', 'string') }}" } }],
			'={{ JSON.stringify({ name: $json.person }) }}',
			[{ person: 'Ada' }],
		);

		expect(result.status).toBe('success');
		const [output] = outputJson(result, 'Consumer');
		expect(output.toolNames).toEqual(['Greet_Someone']);
		expect(JSON.parse(output.result as string)).toEqual([{ greeting: 'Hello Ada' }]);
		// n8n records the tool's own run under its node, as in the editor's logs.
		expect(result.nodeRuns['Greet Someone'][0].task.data?.ai_tool?.[0]?.[0].json).toEqual({
			response: [{ greeting: 'Hello Ada' }],
		});
	});

	it('fails the execution, naming both nodes, when two connected tools share a name', async () => {
		const result = await runConsumerWith(
			[
				{ name: 'Weather Tool', type: 'testTool' },
				{ name: 'Other Weather Tool', type: 'testTool' },
			],
			'{"city":"Oslo"}',
			[{}],
		);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/both named "get_weather"/);
		expect(result.error?.message).toContain('node "Weather Tool"');
		expect(result.error?.message).toContain('node "Other Weather Tool"');
		expect(recordedToolCalls).toEqual([]);
	});
});
