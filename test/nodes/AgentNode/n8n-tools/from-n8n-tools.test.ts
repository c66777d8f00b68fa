import { ToolMessage } from '@langchain/core/messages';
import { BaseToolkit, DynamicStructuredTool, DynamicTool, type StructuredToolInterface } from '@langchain/core/tools';
import Ajv from 'ajv';
import { z as zodV3 } from 'zod';
import { z } from 'zod/v4';
import type { ToolContext } from '../../../../lib/engine';
import { toolsFromN8n } from '../../../../nodes/AgentNode/n8n-tools/from-n8n-tools';

const context: ToolContext = { toolCallId: 'call_1', signal: new AbortController().signal };

function weatherTool(name = 'get_weather', sourceNodeName?: string) {
	return new DynamicStructuredTool({
		name,
		description: 'Returns the weather in a city',
		schema: zodV3.object({ city: zodV3.string().describe('The city'), days: zodV3.number().optional() }),
		func: async ({ city }) => `sunny in ${city}`,
		...(sourceNodeName === undefined ? {} : { metadata: { sourceNodeName } }),
	});
}

class TestToolkit extends BaseToolkit {
	constructor(public tools: StructuredToolInterface[]) {
		super();
	}
}

describe('toolsFromN8n', () => {
	it('converts a DynamicStructuredTool with a zod v3 schema into a JSON-schema tool that invokes it', async () => {
		const [tool] = toolsFromN8n([weatherTool()]);

		expect(tool).toMatchObject({ name: 'get_weather', description: 'Returns the weather in a city', concurrencySafe: false });
		expect(tool.inputSchema).toMatchObject({
			type: 'object',
			properties: { city: { type: 'string', description: 'The city' }, days: { type: 'number' } },
			required: ['city'],
		});
		expect(tool.inputSchema).not.toHaveProperty('$schema');
		await expect(tool.execute({ city: 'Oslo' }, context)).resolves.toBe('sunny in Oslo');
	});

	it('gives a string-input DynamicTool an { input } schema and calls it with the bare string', async () => {
		const received: unknown[] = [];
		const [tool] = toolsFromN8n(
			new DynamicTool({ name: 'search', description: 'Searches', func: async (query) => (received.push(query), `found ${query}`) }),
		);

		expect(tool.inputSchema).toEqual({ type: 'object', properties: { input: { type: 'string' } }, required: ['input'] });
		await expect(tool.execute({ input: 'otters' }, context)).resolves.toBe('found otters');
		expect(received).toEqual(['otters']);
	});

	it('converts a zod v4 schema into a JSON Schema the engine’s validator accepts', async () => {
		const [tool] = toolsFromN8n(
			new DynamicStructuredTool({
				name: 'add',
				description: 'Adds two numbers',
				schema: z.object({ a: z.number(), b: z.number() }),
				func: async ({ a, b }: { a: number; b: number }) => ({ sum: a + b }),
			}),
		);

		expect(tool.inputSchema).toEqual({
			type: 'object',
			properties: { a: { type: 'number' }, b: { type: 'number' } },
			required: ['a', 'b'],
		});
		const validate = new Ajv().compile(tool.inputSchema);
		expect([validate({ a: 2, b: 3 }), validate({ a: 2 })]).toEqual([true, false]);
		await expect(tool.execute({ a: 2, b: 3 }, context)).resolves.toEqual({ sum: 5 });
	});

	it('keeps a tool schema that is already JSON Schema', () => {
		const jsonSchema = { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] };
		const [tool] = toolsFromN8n(
			new DynamicStructuredTool({ name: 'get_order', description: 'Gets an order', schema: jsonSchema, func: async () => 'ok' }),
		);

		expect(tool.inputSchema).toEqual(jsonSchema);
	});

	it('flattens toolkits and nested arrays, keeping the connection order', () => {
		const toolkit = new TestToolkit([weatherTool('list_files'), weatherTool('read_file')]);

		const tools = toolsFromN8n([[weatherTool('first')], toolkit, undefined, [[weatherTool('last')]]]);

		expect(tools.map((tool) => tool.name)).toEqual(['first', 'list_files', 'read_file', 'last']);
	});

	it('returns no tools when nothing is connected', () => {
		expect(toolsFromN8n(undefined)).toEqual([]);
		expect(toolsFromN8n([])).toEqual([]);
	});

	it('reads a ToolMessage answer: its content is the output, and status error is a failure the engine reports to the model', async () => {
		const answer = (status: 'success' | 'error') =>
			new DynamicStructuredTool({
				name: `weather_${status}`,
				description: 'Returns the weather',
				schema: zodV3.object({ city: zodV3.string() }),
				func: async ({ city }) => new ToolMessage({ content: [{ type: 'text', text: `No weather for ${city}` }], tool_call_id: 'call', status }),
			});
		const [succeeding, failing] = toolsFromN8n([answer('success'), answer('error')]);

		await expect(succeeding.execute({ city: 'Atlantis' }, context)).resolves.toBe('No weather for Atlantis');
		await expect(failing.execute({ city: 'Atlantis' }, context)).rejects.toThrow('No weather for Atlantis');
	});

	it('hands the run’s abort signal to the tool', async () => {
		const controller = new AbortController();
		let receivedSignal: AbortSignal | undefined;
		const [tool] = toolsFromN8n(
			new DynamicStructuredTool({
				name: 'wait',
				description: 'Waits',
				schema: zodV3.object({}),
				func: async (_input, _runManager, config) => ((receivedSignal = config?.signal), 'done'),
			}),
		);

		await tool.execute({}, { toolCallId: 'call_1', signal: controller.signal });

		expect(receivedSignal).toBeDefined();
		controller.abort();
		expect(receivedSignal?.aborted).toBe(true);
	});

	it('refuses two tools with the same name, saying which nodes they come from', () => {
		expect(() => toolsFromN8n([weatherTool('lookup', 'Weather A'), weatherTool('lookup', 'Weather B')])).toThrow(
			'Two tools connected to the agent are both named "lookup": the tool "lookup" from node "Weather A" and the tool "lookup" from node "Weather B". Rename one of them',
		);
	});

	it('escapes names providers reject, and refuses the collisions escaping causes', () => {
		const [tool] = toolsFromN8n(weatherTool('files.read (v2)'));
		expect(tool.name).toBe('files_read__v2_');
		expect(toolsFromN8n(weatherTool('x'.repeat(80)))[0].name).toHaveLength(64);

		expect(() => toolsFromN8n([weatherTool('files.read'), weatherTool('files read')])).toThrow(
			/both named "files_read": the tool "files\.read" and the tool "files read"/,
		);
	});

	it('refuses a tool whose name has nothing a provider accepts, naming the tool and its node', () => {
		expect(() => toolsFromN8n(weatherTool('天気', 'Weather JP'))).toThrow(
			'The tool "天気" from node "Weather JP" has a name that model providers reject',
		);
		expect(() => toolsFromN8n(weatherTool('  ', 'Blank Tool'))).toThrow('The tool from node "Blank Tool" has no name');
	});

	it('refuses a tool whose schema does not describe an object', () => {
		expect(() =>
			toolsFromN8n(
				new DynamicStructuredTool({ name: 'count', description: 'Counts', schema: zodV3.array(zodV3.string()), func: async () => 'ok' }),
			),
		).toThrow('The input schema of the tool "count" has type "array", but tool input must be an object');
	});

	it('refuses something connected that is not a tool', () => {
		expect(() => toolsFromN8n([{ name: 'not a tool' }])).toThrow(
			"A node connected to the agent's Tool input supplied something that is not a tool (an object of class Object)",
		);
	});
});
