import type { ToolDefinition } from '../model/language-model';
import type { Message } from '../model/messages';
import { findStoredOutputNote, readToolOutputToolName } from './stored-output-note';

/**
 * The tools a request offers. `read_tool_output` is left out until some result of this run was
 * stored for read-back: before that it could only cost its definition's tokens on every call. It
 * is read from the messages, so a resumed run (on any process) offers it exactly when the run that
 * paused would have.
 */
export function offeredToolDefinitions(definitions: readonly ToolDefinition[], messages: readonly Message[]): ToolDefinition[] {
	const hasStoredOutput = messages.some(
		(message) => message.role === 'user' && message.content.some((part) => part.type === 'tool-result' && findStoredOutputNote(part.output) !== undefined),
	);
	return hasStoredOutput ? [...definitions] : definitions.filter((definition) => definition.name !== readToolOutputToolName);
}
