import type { AgentSpec } from '../agent-spec';
import type { AgentDefinition } from './snapshot';
import { sha256 } from './snapshot';

/**
 * What a paused run depends on, reduced to names and hashes (no secrets, small enough to store).
 * Instructions are not part of it: a resumed run keeps the system prompt it started with.
 */
export function describeDefinition(spec: AgentSpec): AgentDefinition {
	return {
		model: `${spec.model.provider}:${spec.model.modelId}`,
		tools: spec.tools.map((tool) => ({ name: tool.name, schemaHash: sha256(JSON.stringify([tool.inputSchema, tool.approval?.type ?? 'never'])) })),
		outputHash: sha256(JSON.stringify(spec.output)),
	};
}

/**
 * The differences that make a paused run unsafe to continue under the current configuration,
 * phrased for the workflow author. Empty when the run may continue.
 */
export function definitionChanges(paused: AgentDefinition, current: AgentDefinition): string[] {
	const changes: string[] = [];
	if (paused.model !== current.model) changes.push(`the model changed from ${paused.model} to ${current.model}`);
	if (paused.outputHash !== current.outputHash) changes.push('the output format or schema changed');
	const currentTools = new Map(current.tools.map((tool) => [tool.name, tool.schemaHash]));
	for (const tool of paused.tools) {
		const schemaHash = currentTools.get(tool.name);
		if (schemaHash === undefined) changes.push(`tool '${tool.name}' was removed`);
		else if (schemaHash !== tool.schemaHash) changes.push(`tool '${tool.name}' changed its input schema or approval setting`);
	}
	const pausedNames = new Set(paused.tools.map((tool) => tool.name));
	for (const tool of current.tools) if (!pausedNames.has(tool.name)) changes.push(`tool '${tool.name}' was added`);
	return changes;
}
