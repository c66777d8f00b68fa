import type { Tool } from '../../../lib/engine/tools/tool';
import { validateToolInput } from '../../../lib/engine/tools/validate-tool-input';

function toolWithSchema(inputSchema: Tool['inputSchema']): Tool {
	return { name: 'http_request', description: 'test', inputSchema, concurrencySafe: true, execute: async () => 'done' };
}

const requestTool = toolWithSchema({
	type: 'object',
	properties: { url: { type: 'string' }, retries: { type: 'integer' } },
	required: ['url'],
	additionalProperties: false,
});

describe('validateToolInput', () => {
	it('passes valid arguments through unchanged', () => {
		const input = { url: 'https://example.com', retries: 2 };
		expect(validateToolInput(requestTool, input)).toEqual({ ok: true, input });
	});

	it('tells the model what was wrong and the expected shape', () => {
		const result = validateToolInput(requestTool, { url: 42 });
		expect(result.ok).toBe(false);
		const message = !result.ok ? result.message : '';
		expect(message).toMatch(/^Invalid arguments for tool 'http_request': \/url: must be string\. Call the tool again with arguments matching its schema: /);
		expect(message).toContain(JSON.stringify(requestTool.inputSchema));
	});

	it('lists every problem at once', () => {
		const result = validateToolInput(requestTool, { retries: 'many', verbose: true });
		expect(!result.ok && result.message).toContain(
			"root: must have required property 'url'; root: must NOT have additional property 'verbose'; /retries: must be integer",
		);
	});

	it('says so when the model sent text that is not JSON', () => {
		const result = validateToolInput(requestTool, '{"url": "https://example.com"');
		expect(!result.ok && result.message).toContain(
			`Invalid arguments for tool 'http_request': the arguments were not valid JSON (received: "{\\"url\\": \\"https://example.com\\"").`,
		);
	});

	it('accepts arguments the model encoded as a JSON string', () => {
		expect(validateToolInput(requestTool, '{"url": "https://example.com"}')).toEqual({ ok: true, input: { url: 'https://example.com' } });
		expect(validateToolInput(requestTool, '{"url": 1}')).toMatchObject({ ok: false, message: expect.stringContaining("'http_request': /url: must be string.") });
	});

	it('treats missing or empty arguments as an empty object', () => {
		const noArguments = toolWithSchema({ type: 'object', properties: {} });
		expect(validateToolInput(noArguments, undefined)).toEqual({ ok: true, input: {} });
		expect(validateToolInput(noArguments, '  ')).toEqual({ ok: true, input: {} });
		expect(validateToolInput(requestTool, '')).toMatchObject({ ok: false, message: expect.stringContaining("must have required property 'url'") });
	});

	it('validates against 2020-12 schemas, which n8n tool sub-nodes produce', () => {
		const tool = toolWithSchema({
			$schema: 'https://json-schema.org/draft/2020-12/schema',
			type: 'object',
			properties: { query: { type: 'string' } },
			required: ['query'],
		});
		expect(validateToolInput(tool, { query: 'x' })).toEqual({ ok: true, input: { query: 'x' } });
		expect(validateToolInput(tool, {})).toMatchObject({ ok: false });
	});

	it('reports a tool whose own schema is broken without throwing', () => {
		const result = validateToolInput(toolWithSchema({ type: 'objekt' }), {});
		expect(!result.ok && result.message).toMatch(
			/^Tool 'http_request' cannot be called\. The input schema of tool 'http_request' is invalid: .* Continue without this tool\.$/,
		);
	});
});
