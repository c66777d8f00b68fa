import { createAnthropicModel } from '../../../lib/engine/model/anthropic-model';
import { modelRequest } from '../../support/llm-server/adapters';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());

describe('an Anthropic credential without an API key (a gateway that adds its own)', () => {
	test('the request goes out with neither x-api-key nor Authorization, and the answer comes back', async () => {
		server.load([{ kind: 'reply', text: 'Hello from the gateway.' }]);
		const model = createAnthropicModel({ apiKey: '', baseUrl: server.anthropicBaseUrl, modelId: 'claude-sonnet-test' });

		const response = await model.generate(modelRequest());

		const [request] = server.requests;
		expect(request.headers['x-api-key']).toBeUndefined();
		expect(request.headers.authorization).toBeUndefined();
		expect(response.message.content).toEqual([{ type: 'text', text: 'Hello from the gateway.' }]);
	});
});
