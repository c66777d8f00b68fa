import type { Tool } from '../../../lib/engine';
import type { SubNodeRuns } from './sub-node-runs';
import { toolInputShape } from './tool-input-schema';
import { toProviderToolName } from './tool-name';
import { outputText, readToolOutput } from './tool-output';

/**
 * The surface of a LangChain tool that n8n tool sub-nodes supply (`DynamicStructuredTool`,
 * `DynamicTool`, `StructuredTool`, n8n's own wrappers). Duck-typed: this package must not load
 * `@langchain/core` at runtime.
 */
type LangChainToolLike = {
	name?: unknown;
	description?: unknown;
	schema?: unknown;
	metadata?: { sourceNodeName?: unknown };
	invoke(input: unknown, config?: { signal?: AbortSignal }): Promise<unknown>;
};

type LangChainToolkitLike = { getTools(): unknown };

type ConvertedTool = { tool: Tool; label: string };

/**
 * Converts what `getInputConnectionData(NodeConnectionTypes.AiTool, 0)` returns (tools, toolkits
 * such as the MCP Client Tool's, arrays of either, possibly nested) into engine tools.
 * Mirrors n8n's own Tools Agent: toolkits are flattened and tool names must be unique. Names are
 * escaped to what providers accept. n8n tools may have side effects, so none is concurrency-safe.
 * A call the tool reports as failed reaches the model as an error, however the tool reports it
 * (a thrown error, a ToolMessage with status `error`, or an error its node recorded on its run,
 * which `runs` shows).
 * Throws an Error naming the tool (and its node) for anything the user must fix.
 */
export function toolsFromN8n(connected: unknown, runs?: SubNodeRuns): Tool[] {
	const converted = flattenConnected(connected).map((source) => toEngineTool(source, runs));
	rejectDuplicateNames(converted);
	return converted.map(({ tool }) => tool);
}

function flattenConnected(connected: unknown): LangChainToolLike[] {
	if (connected === undefined || connected === null) return [];
	if (Array.isArray(connected)) return connected.flatMap(flattenConnected);
	// Checked before tools: n8n-core also treats anything with `getTools()` as a toolkit first.
	if (isToolkit(connected)) return flattenConnected(connected.getTools());
	if (isToolLike(connected)) return [connected];
	throw new Error(
		`A node connected to the agent's Tool input supplied something that is not a tool (${describeValue(connected)}). Connect only tool nodes to that input.`,
	);
}

function isToolkit(value: unknown): value is LangChainToolkitLike {
	return typeof value === 'object' && value !== null && typeof (value as LangChainToolkitLike).getTools === 'function';
}

function isToolLike(value: unknown): value is LangChainToolLike {
	return typeof value === 'object' && value !== null && typeof (value as LangChainToolLike).invoke === 'function';
}

function toEngineTool(source: LangChainToolLike, runs: SubNodeRuns | undefined): ConvertedTool {
	const label = describeTool(source);
	if (typeof source.name !== 'string' || source.name.trim() === '') {
		throw new Error(`The ${label} has no name. Give it a name made of letters, digits, "_" or "-".`);
	}
	const name = toProviderToolName(source.name);
	if (name === undefined) {
		throw new Error(
			`The ${label} has a name that model providers reject and that cannot be escaped: tool names may only use the letters a-z and A-Z, digits, "_" and "-" (at most 64 characters). Rename it.`,
		);
	}
	const inputShape = toolInputShape(source.schema, `the ${label}`);
	return {
		label,
		tool: {
			name,
			description: typeof source.description === 'string' ? source.description : '',
			inputSchema: inputShape.inputSchema,
			concurrencySafe: false,
			async execute(input, context) {
				// String-input tools get the bare string, as LangChain's agents call them.
				const toolInput = inputShape.type === 'text-input' ? (input as { input: string }).input : input;
				const nodeName = source.metadata?.sourceNodeName;
				const watch = typeof nodeName === 'string' ? runs?.watchCall(nodeName) : undefined;
				const { output, failed } = readToolOutput(await source.invoke(toolInput, { signal: context.signal }));
				const text = outputText(output);
				// Thrown, the failure reaches the model as an error result.
				if (failed || watch?.failed(text)) throw new Error(text);
				return output;
			},
		},
	};
}

function rejectDuplicateNames(converted: ConvertedTool[]): void {
	const labelByName = new Map<string, string>();
	for (const { tool, label } of converted) {
		const earlierLabel = labelByName.get(tool.name);
		if (earlierLabel !== undefined) {
			throw new Error(
				`Two tools connected to the agent are both named "${tool.name}": the ${earlierLabel} and the ${label}. Rename one of them: tool names must be unique.`,
			);
		}
		labelByName.set(tool.name, label);
	}
}

/** `metadata.sourceNodeName` is set by n8n-core on every tool a sub-node supplies. */
function describeTool(source: LangChainToolLike): string {
	const name = typeof source.name === 'string' && source.name.trim() !== '' ? `tool "${source.name}"` : 'tool';
	const nodeName = source.metadata?.sourceNodeName;
	return typeof nodeName === 'string' ? `${name} from node "${nodeName}"` : name;
}

function describeValue(value: unknown): string {
	if (typeof value !== 'object' || value === null) return typeof value;
	const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof constructorName === 'string' ? `an object of class ${constructorName}` : 'an object';
}
