/**
 * A tool call the run paused on. `approval`: the tool needs a human's go-ahead before it runs;
 * `question`: the model asked the human something through `ask_human`, and the answer is the result.
 */
export type PendingCall = {
	toolCallId: string;
	toolName: string;
	input: unknown;
	kind: 'approval' | 'question';
};
