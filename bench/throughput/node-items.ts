import { DurableAgent } from '../../nodes/AgentNode/DurableAgent.node';
import { StartTestNode } from '../../test/support/n8n/nodes/start-test-node';
import { runWorkflow } from '../../test/support/n8n/run-workflow';
import { loopScenario } from '../loop-overhead/scenario';

export type NodeItemsRun = { items: number; concurrency: number; turns: number; baseUrl: string; localFolder: string };

/**
 * The same items through the Durable AI Agent node itself, in n8n-core's WorkflowExecute (the
 * in-process runner the workflow tests use): expressions, credentials, the node's item
 * concurrency and its local disk store. The model calls the built-in think tool, then answers.
 */
export async function runItemsThroughNode(run: NodeItemsRun): Promise<void> {
	const result = await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{
				name: 'Agent',
				type: 'durableAgent',
				parameters: {
					provider: 'openAiCompatible',
					model: loopScenario.modelId,
					instructions: loopScenario.system,
					task: '=Check order {{ $json.order }} step by step, then tell me whether it is fine.',
					outputFormat: 'text',
					builtinTools: ['think'],
					maxTurns: run.turns,
					storage: 'localDisk',
					options: { localFolder: run.localFolder, itemConcurrency: run.concurrency, maxRetries: 0, maxOutputTokens: loopScenario.maxOutputTokens },
				},
			},
		],
		connections: { Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] } },
		inputItems: Array.from({ length: run.items }, (_, index) => ({ order: index + 1 })),
		credentials: { durableAgentOpenAiCompatibleApi: { apiKey: loopScenario.apiKey, baseUrl: run.baseUrl } },
		executionId: `bench-${Date.now()}`,
	});
	const outputs = (result.nodeRuns.Agent?.[0]?.outputs ?? []).flat().map((item) => item.json);
	const done = outputs.filter((json) => json.status === 'done' && json.turns === run.turns);
	if (result.status !== 'success' || done.length !== run.items) {
		throw new Error(`The node finished ${done.length} of ${run.items} items (execution ${result.status}): ${JSON.stringify(result.error ?? outputs[0])}`);
	}
}
