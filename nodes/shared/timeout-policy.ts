import type { IExecuteFunctions } from 'n8n-workflow';

import type { TimeoutPolicy } from '../../lib/resume';

/**
 * The "On Timeout" policy of the Resume node an input item came from, or `undefined` when input 0
 * does not come from a Durable AI Agent Resume node (then a paused item on the agent's input is a
 * wiring mistake). The policy itself is applied by lib/resume (settleTimedOutItem).
 */
export function timeoutPolicyOfSource(context: IExecuteFunctions): TimeoutPolicy | undefined {
	const sourceName = context.getInputSourceData(0)?.previousNode;
	const source = context.getParentNodes(context.getNode().name, { includeNodeParameters: true, depth: 1 }).find((node) => node.name === sourceName);
	if (source === undefined || !/(^|\.)durableAgentResume$/.test(source.type)) return undefined;
	return source.parameters?.onTimeout === 'fail' ? 'fail' : 'rejectAll';
}
