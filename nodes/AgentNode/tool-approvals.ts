import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ApprovalPolicy, Tool } from '../../lib/engine';

type ApprovalRule = { toolName?: string; when?: 'always' | 'condition'; condition?: string };

/**
 * Applies the 'Tool Approvals' rules to the item's tools. Conditions are n8n expressions on the
 * call's arguments (`$args`), read raw here and evaluated per call with the arguments inlined as
 * a JSON literal, so they see exactly what the tool would receive.
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
		policies.set(toolName, rule.when === 'condition' ? conditionPolicy(context, itemIndex, rule.condition ?? '') : { type: 'always' });
	}
	return tools.map((tool) => (policies.has(tool.name) ? { ...tool, approval: policies.get(tool.name) } : tool));
}

function conditionPolicy(context: IExecuteFunctions, itemIndex: number, condition: string): ApprovalPolicy {
	const expression = condition.trim().replace(/^=/, '');
	return {
		type: 'when',
		needsApproval(input) {
			const result = context.evaluateExpression(expression.replace(/\$args\b/g, `(${JSON.stringify(input)})`), itemIndex);
			return result === true || result === 'true';
		},
	};
}
