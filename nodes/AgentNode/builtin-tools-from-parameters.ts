import type { IExecuteFunctions } from 'n8n-workflow';

import { askHumanTool, createHttpRequestTool, thinkTool, type Tool } from '../../lib/engine';

type BuiltinToolName = 'ask_human' | 'http_request' | 'think';

/** The built-in tools ticked in 'Built-in Tools'. */
export function builtinToolsFromParameters(context: IExecuteFunctions): Tool[] {
	const names = context.getNodeParameter('builtinTools', 0, []) as BuiltinToolName[];
	return names.map((name) => {
		if (name === 'think') return thinkTool;
		if (name === 'ask_human') return askHumanTool;
		const allowedHosts = String(context.getNodeParameter('allowedHosts', 0, ''))
			.split(',')
			.map((host) => host.trim())
			.filter(Boolean);
		return createHttpRequestTool({ allowedHosts, maxResponseBytes: 1_000_000, timeoutMs: 30_000 });
	});
}
