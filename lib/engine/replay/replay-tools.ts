import type { Tool } from '../tools/tool';
import type { RecordedToolResults } from './recorded-tool-results';

/** How a replay's tool calls were answered: from the original's results, as not available, or by running the tool (marked safe). */
export type ReplayToolCounts = { replayed: number; unavailable: number; executed: number };

/** What the model gets for a call the original never made, to a tool not marked safe. */
export function notAvailableInReplay(toolName: string): string {
	return `Not available in a replay: the original run never called '${toolName}' with these arguments, and '${toolName}' is not marked safe to run in replays. Go on without this result.`;
}

/**
 * The tools as a replay offers them: same names, descriptions and schemas, so the model sees what
 * it would see live. A call the original made (same tool, same arguments) gets the original's
 * result; any other call runs only when its tool is in `safeTools`, and otherwise is answered
 * "not available in a replay". No call waits for a human: recorded calls were decided in the
 * original, and side effects never happen unless the workflow author marked the tool safe.
 */
export function replayTools(tools: readonly Tool[], recorded: RecordedToolResults, safeTools: ReadonlySet<string>): { tools: Tool[]; counts: ReplayToolCounts } {
	const counts: ReplayToolCounts = { replayed: 0, unavailable: 0, executed: 0 };
	const replayed = tools.map(
		(tool): Tool => ({
			name: tool.name,
			description: tool.description,
			inputSchema: tool.inputSchema,
			concurrencySafe: tool.concurrencySafe,
			// A replay never pauses, so nothing continues it: its calls need no journal.
			readOnly: true,
			async execute(input, context) {
				const result = recorded.take(tool.name, input);
				if (result !== undefined) {
					counts.replayed += 1;
					if (result.isError) throw new Error(withoutFailurePrefix(tool.name, result.output));
					return result.output;
				}
				if (safeTools.has(tool.name)) {
					counts.executed += 1;
					return await tool.execute(input, context);
				}
				counts.unavailable += 1;
				throw new Error(notAvailableInReplay(tool.name));
			},
		}),
	);
	return { tools: replayed, counts };
}

/** A recorded failure reads `Tool 'x' failed: …`; the engine adds that prefix again when the replayed failure is thrown. */
function withoutFailurePrefix(toolName: string, output: string): string {
	const prefix = `Tool '${toolName}' failed: `;
	return output.startsWith(prefix) ? output.slice(prefix.length) : output;
}
