import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * An item's part of n8n's streaming response (a Chat Trigger or Webhook set to stream): one
 * `begin`, the answer's pieces as they arrive, one `end`. `begin` waits for the first piece, so a
 * run that writes nothing (tool calls, then a pause or JSON output) leaves no empty message in the
 * chat. Undefined when the execution does not stream, so nothing changes then.
 */
export type ItemStream = { write(text: string): void; close(): void };

export function itemStream(context: IExecuteFunctions, itemIndex: number): ItemStream | undefined {
	if (typeof context.isStreaming !== 'function' || !context.isStreaming()) return undefined;
	let begun = false;
	return {
		write: (text) => {
			if (text === '') return;
			if (!begun) context.sendChunk('begin', itemIndex);
			begun = true;
			context.sendChunk('item', itemIndex, text);
		},
		close: () => {
			if (begun) context.sendChunk('end', itemIndex);
			begun = false;
		},
	};
}

/** Tells a streaming chat that the run waits for a decision, with the link to decide on. */
export function streamApprovalRequest(context: IExecuteFunctions, itemIndex: number, approvalUrl: string): void {
	const stream = itemStream(context, itemIndex);
	if (stream === undefined) return;
	stream.write(`\n\nThis needs a person's approval before the agent goes on: ${approvalUrl}`);
	stream.close();
}
