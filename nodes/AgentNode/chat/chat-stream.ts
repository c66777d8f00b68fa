import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * An item's part of n8n's streaming response (a Chat Trigger or Webhook set to stream): one
 * `begin`, the answer's pieces as they arrive, one `end`. Undefined when the execution does not
 * stream, so nothing changes then.
 */
export type ItemStream = { write(text: string): void; close(): void };

export function itemStream(context: IExecuteFunctions, itemIndex: number): ItemStream | undefined {
	if (typeof context.isStreaming !== 'function' || !context.isStreaming()) return undefined;
	context.sendChunk('begin', itemIndex);
	return {
		write: (text) => context.sendChunk('item', itemIndex, text),
		close: () => context.sendChunk('end', itemIndex),
	};
}

/** Tells a streaming chat that the run waits for a decision, with the link to decide on. */
export function streamApprovalRequest(context: IExecuteFunctions, itemIndex: number, approvalUrl: string): void {
	const stream = itemStream(context, itemIndex);
	if (stream === undefined) return;
	stream.write(`\n\nThis needs a person's approval before the agent goes on: ${approvalUrl}`);
	stream.close();
}
