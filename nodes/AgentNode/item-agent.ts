import { NodeConnectionTypes, type IExecuteFunctions } from 'n8n-workflow';

import type { AgentSpec, Tool } from '../../lib/engine';
import { agentSpecFromParameters } from './agent-spec-from-parameters';
import { toolsFromN8n } from './n8n-tools/from-n8n-tools';
import { subNodeRunsOf } from './n8n-tools/sub-node-runs';
import { withToolApprovals } from './tool-approvals/tool-approvals';

/** The agent as this item's parameters define it: built-in tools, connected tool nodes, approval rules. */
export async function itemAgentSpec(context: IExecuteFunctions, itemIndex: number, builtinTools: readonly Tool[]): Promise<AgentSpec> {
	// Tool sub-nodes are asked per item: their parameters may hold expressions on the item.
	const connectedTools = toolsFromN8n(await context.getInputConnectionData(NodeConnectionTypes.AiTool, itemIndex), subNodeRunsOf(context));
	const tools = withToolApprovals(context, itemIndex, [...builtinTools, ...connectedTools]);
	return await agentSpecFromParameters(context, itemIndex, tools);
}
