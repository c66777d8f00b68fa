import { randomUUID } from 'node:crypto';

import type { Workflow, WorkflowNode } from '../../test/e2e/support/workflows';
import { tokenScenario } from '../tokens/token-scenario';
import { modelCalls, reportToolCode, reportToolNodeName, type InsideScenario } from './inside-scenarios';

/** The agents of the comparison workflow, in the order of the Switch node's outputs. */
export const agentRoutes = ['n8nAgent', 'durableConnected', 'durableBuiltIn'] as const;
export type AgentRoute = (typeof agentRoutes)[number];

export const agentNodeNames: Record<AgentRoute, string> = {
	n8nAgent: 'AI Agent',
	durableConnected: 'Durable AI Agent (connected model)',
	durableBuiltIn: 'Durable AI Agent (built-in Anthropic)',
};

type Reference = { id: string; name: string };

export type ComparisonWorkflowOptions = {
	id: string;
	webhookPath: string;
	scenario: InsideScenario;
	/** The Anthropic Chat Model's Prompt Caching option: '5m', or off. */
	promptCaching: boolean;
	/** n8n's `anthropicApi` credential (the Chat Model sub-node) and Durable's own Anthropic credential. */
	credentials: { anthropicApi: Reference; durableAgentAnthropicApi: Reference };
	storageFolder: string;
};

/**
 * The tokens benchmark's tool schema, open to other properties: n8n's AI Agent hands the
 * tool the model's arguments merged with the incoming item's fields (here the webhook's headers,
 * params, query and body), which a closed schema refuses on every call.
 */
const reportToolInputSchema = { ...tokenScenario.tool.inputSchema, additionalProperties: true };

/** A model ID the billing server accepts like any other; it only names the model in answers. */
const modelId = tokenScenario.modelId;

/**
 * Webhook → Switch (on the body's `route`) → n8n's AI Agent, Durable AI Agent with the connected
 * model, or Durable AI Agent with its built-in Anthropic provider. The first two share one Anthropic
 * Chat Model sub-node; all three share one Code Tool. Each agent has the same instructions and task
 * and turn limits above the scripted run's length. The webhook answers with the agent's output when
 * the execution ends.
 */
export function comparisonWorkflow(options: ComparisonWorkflowOptions): Workflow {
	const { scenario, credentials } = options;
	const turnLimit = modelCalls(scenario) + 5;
	const node = (name: string, type: string, typeVersion: number, position: [number, number], parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	});
	const durableParameters = {
		mode: 'run',
		instructions: tokenScenario.instructions,
		task: tokenScenario.task,
		outputFormat: 'text',
		maxTurns: turnLimit,
		storage: 'localDisk',
		options: { localFolder: options.storageFolder, maxRetries: 0 },
	};
	const nodes: WorkflowNode[] = [
		node('Start', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: options.webhookPath, responseMode: 'lastNode', options: {} }, { webhookId: randomUUID() }),
		node('Which Agent', 'n8n-nodes-base.switch', 3.2, [220, 0], { mode: 'expression', numberOutputs: agentRoutes.length, output: '={{ $json.body.route }}' }),
		node(agentNodeNames.n8nAgent, '@n8n/n8n-nodes-langchain.agent', 3.1, [480, -200], {
			promptType: 'define',
			text: tokenScenario.task,
			options: { systemMessage: tokenScenario.instructions, maxIterations: turnLimit },
		}),
		node(agentNodeNames.durableConnected, 'n8n-nodes-durable-agent.durableAgent', 1, [480, 0], { ...durableParameters, provider: 'connected' }),
		node(
			agentNodeNames.durableBuiltIn,
			'n8n-nodes-durable-agent.durableAgent',
			1,
			[480, 200],
			{ ...durableParameters, provider: 'anthropic', model: modelId },
			{ credentials: { durableAgentAnthropicApi: credentials.durableAgentAnthropicApi } },
		),
		node(
			'Anthropic Chat Model',
			'@n8n/n8n-nodes-langchain.lmChatAnthropic',
			1.6,
			[380, 420],
			{ model: { __rl: true, mode: 'id', value: modelId }, options: options.promptCaching ? { promptCaching: '5m' } : {} },
			{ credentials: { anthropicApi: credentials.anthropicApi } },
		),
		node(reportToolNodeName, '@n8n/n8n-nodes-langchain.toolCode', 1.3, [620, 420], {
			description: tokenScenario.tool.description,
			language: 'javaScript',
			jsCode: reportToolCode(scenario),
			specifyInputSchema: true,
			schemaType: 'manual',
			inputSchema: JSON.stringify(reportToolInputSchema),
		}),
	];
	const to = (target: string, type: string) => ({ node: target, type, index: 0 });
	return {
		id: options.id,
		name: `Benchmark: n8n's AI Agent and Durable AI Agent, ${scenario.key} run, prompt caching ${options.promptCaching ? 'on' : 'off'}`,
		nodes,
		connections: {
			Start: { main: [[to('Which Agent', 'main')]] },
			'Which Agent': { main: agentRoutes.map((route) => [to(agentNodeNames[route], 'main')]) },
			'Anthropic Chat Model': { ai_languageModel: [[to(agentNodeNames.n8nAgent, 'ai_languageModel'), to(agentNodeNames.durableConnected, 'ai_languageModel')]] },
			[reportToolNodeName]: { ai_tool: [agentRoutes.map((route) => to(agentNodeNames[route], 'ai_tool'))] },
		},
		settings: { executionOrder: 'v1' },
	};
}
