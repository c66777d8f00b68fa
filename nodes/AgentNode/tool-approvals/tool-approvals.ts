import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ApprovalPolicy, Tool } from '../../../lib/engine';
import { conditionPolicy } from './approval-condition';

type ApprovalRule = { toolName?: string; when?: 'always' | 'condition'; condition?: string };

/**
 * Applies the 'Tool Approvals' rules to the item's tools. Conditions are read raw (unevaluated)
 * and compiled once per rule into a function of the call's arguments (approval-condition.ts).
 */
export function withToolApprovals(context: IExecuteFunctions, itemIndex: number, tools: Tool[]): Tool[] {
	const rules = (context.getNodeParameter('toolApprovals.rules', itemIndex, [], { rawExpressions: true }) as ApprovalRule[]) ?? [];
	const policies = new Map<string, ApprovalPolicy>();
	for (const rule of rules) {
		const toolName = (rule.toolName ?? '').trim();
		if (!tools.some((tool) => tool.name === toolName)) {
			throw new NodeOperationError(context.getNode(), `Tool Approvals names '${toolName}', but no tool has that name`, {
				itemIndex,
				description: `Use one of: ${tools.map((tool) => tool.name).join(', ') || '(no tools connected)'}.`,
			});
		}
		policies.set(toolName, rule.when === 'condition' ? conditionPolicy(context, itemIndex, toolName, rule.condition ?? '') : { type: 'always' });
	}
	return tools.map((tool) => (policies.has(tool.name) ? { ...tool, approval: policies.get(tool.name) } : tool));
}
