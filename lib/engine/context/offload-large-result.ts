import type { ToolResultPart } from '../model/messages';
import type { ContextPolicy } from './context-policy';
import { sliceText } from './slice-text';
import { readToolOutputToolName, storedOutputNote, type ToolOutputStore } from './stored-output-note';

/**
 * Characters of a stored output the model sees straight away: enough to judge what the output is
 * and whether to read on, small enough that a few large results do not fill the context.
 */
export const storedOutputPreviewCharacters = 2_000;

/**
 * Keeps one huge tool result from filling the context: an output longer than
 * `largeToolResultCharacters` is stored whole and replaced by its first characters and a note
 * telling the model to read the rest with `read_tool_output`. Shorter results come back unchanged,
 * and so do pages `read_tool_output` returned: storing a page of a stored output again would only
 * send the model after a copy.
 */
export async function offloadLargeToolResult(
	result: ToolResultPart,
	port: Pick<ToolOutputStore, 'writeToolOutput'>,
	policy: Pick<ContextPolicy, 'largeToolResultCharacters'>,
): Promise<ToolResultPart> {
	if (result.output.length <= policy.largeToolResultCharacters || result.toolName === readToolOutputToolName) return result;
	const reference = await port.writeToolOutput(result.toolCallId, result.output);
	const preview = sliceText(result.output, 0, Math.min(storedOutputPreviewCharacters, policy.largeToolResultCharacters));
	const note = storedOutputNote({ reference, totalCharacters: result.output.length }, preview.length);
	return { ...result, output: `${preview}\n${note}` };
}
