import { outputJson, resumeWorkflow, runWorkflow, type RunWorkflowOptions } from '../../support/n8n/run-workflow';
import { CredentialProbeTestNode } from '../../support/n8n/nodes/credential-probe-test-node';
import { SetTextTestNode } from '../../support/n8n/nodes/set-text-test-node';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { WaitTestNode } from '../../support/n8n/nodes/wait-test-node';

const startToSetText = { Start: { main: [[{ node: 'Set Text', type: 'main' as const, index: 0 }]] } };

describe('runWorkflow', () => {
	it('runs a two-node workflow, evaluating expressions per item and keeping paired items', async () => {
		const result = await runWorkflow({
			nodeTypes: [StartTestNode, SetTextTestNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Set Text', type: 'setTextTest', parameters: { text: "={{ 'About ' + $json.topic }}" } },
			],
			connections: startToSetText,
			inputItems: [{ topic: 'otters' }, { topic: 'owls' }],
		});

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Start')).toEqual([{ topic: 'otters' }, { topic: 'owls' }]);
		expect(outputJson(result, 'Set Text')).toEqual([
			{ topic: 'otters', text: 'About otters' },
			{ topic: 'owls', text: 'About owls' },
		]);
		expect(result.nodeRuns['Set Text'][0].outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('fails the execution on a node error and names the failing node', async () => {
		const result = await runWorkflow({
			nodeTypes: [StartTestNode, SetTextTestNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Set Text', type: 'setTextTest', parameters: { text: '={{ $json.topic }}' } },
			],
			connections: startToSetText,
			inputItems: [{ topic: '' }],
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The text came out empty');
		expect(result.nodeRuns['Set Text'][0].error?.message).toBe('The text came out empty');
	});

	it('turns a failing item into an error item when the node continues on fail', async () => {
		const result = await runWorkflow({
			nodeTypes: [StartTestNode, SetTextTestNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Set Text', type: 'setTextTest', parameters: { text: '={{ $json.topic }}' }, onError: 'continueRegularOutput' },
			],
			connections: startToSetText,
			inputItems: [{ topic: 'otters' }, { topic: '' }],
		});

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Set Text')).toEqual([
			{ topic: 'otters', text: 'otters' },
			{ error: 'The text came out empty' },
		]);
	});

	it('hands nodes the credentials the test gives for the types they declare', async () => {
		const result = await runWorkflow({
			nodeTypes: [StartTestNode, CredentialProbeTestNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Probe', type: 'credentialProbeTest' },
			],
			connections: { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
			credentials: { testApi: { apiKey: 'test-key' } },
		});

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Probe')).toEqual([{ apiKey: 'test-key' }]);
	});

	it('reports missing test credentials as a node error', async () => {
		const result = await runWorkflow({
			nodeTypes: [StartTestNode, CredentialProbeTestNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Probe', type: 'credentialProbeTest', credentials: { testApi: { id: '1', name: 'Test API' } } },
			],
			connections: { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('no credentials of type "testApi"');
	});

	it('leaves a waiting execution waiting, then resumes it with the items its waiting webhook would return', async () => {
		const options: RunWorkflowOptions = {
			nodeTypes: [StartTestNode, WaitTestNode, SetTextTestNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Wait', type: 'waitTest' },
				{ name: 'Set Text', type: 'setTextTest', parameters: { text: "={{ 'Decision: ' + $json.decision }}" } },
			],
			connections: {
				Start: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
				Wait: { main: [[{ node: 'Set Text', type: 'main', index: 0 }]] },
			},
			executionId: 'execution-42',
		};

		const waiting = await runWorkflow(options);
		expect(waiting.status).toBe('waiting');
		expect(outputJson(waiting, 'Wait')[0].resumeUrl).toMatch(/^http:\/\/localhost:5678\/webhook-waiting\/execution-42\?signature=\w+$/);
		expect(waiting.nodeRuns['Set Text']).toBeUndefined();

		const resumed = await resumeWorkflow(options, waiting, [{ decision: 'approve' }]);
		expect(resumed.status).toBe('success');
		expect(outputJson(resumed, 'Wait')).toEqual([{ decision: 'approve' }]);
		expect(outputJson(resumed, 'Set Text')).toEqual([{ decision: 'approve', text: 'Decision: approve' }]);
	});
});
