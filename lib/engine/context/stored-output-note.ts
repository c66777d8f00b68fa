/**
 * Where large tool outputs go (implemented by lib/storage's run store). The reference names an
 * output of this run only, so the model cannot use it to read anything else.
 */
export type ToolOutputStore = {
	/** Stores the whole output of one tool call; returns the reference the model reads it back with. */
	writeToolOutput(toolCallId: string, text: string): Promise<string>;
	/** The whole stored output, or undefined when nothing is stored under the reference. */
	readToolOutput(reference: string): Promise<string | undefined>;
};

/** The name of the tool that reads a stored output back; the note tells the model to call it. */
export const readToolOutputToolName = 'read_tool_output';

/** What a note says about a stored output: enough to point the model at the rest. */
export type StoredOutput = { reference: string; totalCharacters: number };

// The note ends a result whose output was stored. Its wording is a contract with
// findStoredOutputNote: an older result is shortened later, and the note must survive that.
const notePattern = /\[Stored output: (\d+) characters in total\. Read more with read_tool_output, reference ("(?:[^"\\]|\\.)*"), offset \d+ \(the first \d+ characters are shown above\)\.\]$/;

/** The line that tells the model how much it sees of a stored output and how to read the rest. */
export function storedOutputNote(stored: StoredOutput, shownCharacters: number): string {
	return (
		`[Stored output: ${stored.totalCharacters} characters in total. Read more with ${readToolOutputToolName}, reference ${JSON.stringify(stored.reference)}, ` +
		`offset ${shownCharacters} (the first ${shownCharacters} characters are shown above).]`
	);
}

/** The stored output a result's note points at, or undefined for a result that was not stored. */
export function findStoredOutputNote(output: string): StoredOutput | undefined {
	const match = notePattern.exec(output);
	if (match === null) return undefined;
	return { totalCharacters: Number(match[1]), reference: JSON.parse(match[2]) as string };
}
