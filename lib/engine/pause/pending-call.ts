/**
 * What the run paused on. `approval`: a tool call needs a human's go-ahead before it runs;
 * `question`: the model asked the human something through `ask_human`, and the answer is the result;
 * `budget`: the run spent its budget before this turn's tool calls ran, and a person may allow as
 * much again (approve) or end it (reject). A `budget` entry is not a model tool call.
 */
export type PendingCall = {
	toolCallId: string;
	toolName: string;
	input: unknown;
	kind: 'approval' | 'question' | 'budget';
};
