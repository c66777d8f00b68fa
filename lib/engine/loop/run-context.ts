import type { AgentSpec, EngineDeps } from '../agent-spec';
import type { ToolDefinition } from '../model/language-model';
import { createFinalAnswerReader, type FinalAnswerReader } from '../output/final-answer';
import { outputInstructions } from '../output/output-instructions';
import { describeDefinition } from '../pause/definition';
import type { AgentDefinition, FrozenRunState } from '../pause/snapshot';
import type { Tool } from '../tools/tool';
import { checkStablePrefixFits } from '../context/context-policy';
import { wrapMemoryBlock } from '../memory/memory-block';
import { createReadToolOutputTool } from '../context/read-tool-output-tool';
import { createRunFiles, type RunFiles } from '../files/run-files';

/** Everything about a run that does not change from turn to turn. */
export type RunContext = {
	spec: AgentSpec;
	deps: EngineDeps;
	runId: string;
	tools: ReadonlyMap<string, Tool>;
	toolDefinitions: ToolDefinition[];
	system: string;
	readFinalAnswer: FinalAnswerReader;
	definition: AgentDefinition;
	/** The run's files: stored references in its messages, bytes loaded for requests. */
	files: RunFiles;
};

/**
 * Mutable state of one run; plain data, so a pause can freeze it into a snapshot (pause/snapshot.ts).
 * `budgetGrants`: how often a person allowed the run to spend its budget once more.
 * `transcriptTurns`: transcript objects written so far. Equal to `turns` (model calls) unless a pause
 * came from a turn that was itself continued (a budget approval), which writes an object of its own:
 * each new object goes after the last one, so none is ever overwritten.
 * `structuredOutputRejected`: the endpoint refused the structured-output request once, so this run
 * (until it pauses) asks for JSON by instructions only.
 */
export type RunState = FrozenRunState & { structuredOutputRejected?: boolean };

/** Builds the context; throws on configuration the workflow author must fix (schema, tool names). */
export function createRunContext(spec: AgentSpec, runId: string, deps: EngineDeps, memoryBlock = ''): RunContext {
	if (spec.limits.maxCostUsd !== undefined && spec.price === undefined) {
		throw new Error(`A cost budget is set, but no price is known for model '${spec.model.modelId}'. Add the model to 'Price Table', or remove 'Cost Budget (USD)'.`);
	}
	// The read-back tool exists only with context management, which is what stores large outputs.
	const tools = [...spec.tools, ...(spec.memory?.tools ?? []), ...(spec.contextPolicy ? [createReadToolOutputTool(deps.store)] : [])];
	const toolDefinitions = tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
	// Memory last, in its own tagged block: the Anthropic adapter caches it separately from the instructions.
	const system = [spec.instructions, outputInstructions(spec.output), wrapMemoryBlock(memoryBlock)].filter(Boolean).join('\n\n');
	if (spec.contextPolicy) checkStablePrefixFits(system, toolDefinitions, spec.contextPolicy);
	return {
		spec,
		deps,
		runId,
		tools: toolMap(tools),
		toolDefinitions,
		system,
		readFinalAnswer: createFinalAnswerReader(spec.output),
		definition: describeDefinition(spec),
		files: createRunFiles(deps.store),
	};
}

/** Tools by name; two tools with one name are a configuration error. */
export function toolMap(tools: readonly Tool[]): Map<string, Tool> {
	const byName = new Map<string, Tool>();
	for (const tool of tools) {
		if (byName.has(tool.name)) throw new Error(`Two tools are named '${tool.name}'. Tool names must be unique: rename one of them.`);
		byName.set(tool.name, tool);
	}
	return byName;
}
