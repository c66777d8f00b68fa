import type { IExecuteFunctions } from 'n8n-workflow';

import { itemStream, streamApprovalRequest } from '../../../../nodes/AgentNode/chat/chat-stream';

/** The two calls of n8n's node context that streaming uses, recording what the node sent. */
function streamingContext(streaming: boolean) {
	const chunks: Array<[string, number, string?]> = [];
	const context = {
		isStreaming: () => streaming,
		sendChunk: (type: string, itemIndex: number, content?: string) => {
			chunks.push(content === undefined ? [type, itemIndex] : [type, itemIndex, content]);
		},
	} as unknown as IExecuteFunctions;
	return { context, chunks };
}

describe('an item’s part of a streaming response', () => {
	it('sends begin with the first piece, every piece as an item, and end when closed', () => {
		const { context, chunks } = streamingContext(true);
		const stream = itemStream(context, 2);

		stream?.write('It is ');
		stream?.write('');
		stream?.write('sunny.');
		stream?.close();

		expect(chunks).toEqual([
			['begin', 2],
			['item', 2, 'It is '],
			['item', 2, 'sunny.'],
			['end', 2],
		]);
	});

	it('sends nothing for a run that wrote no text, so the chat shows no empty message', () => {
		const { context, chunks } = streamingContext(true);

		itemStream(context, 0)?.close();

		expect(chunks).toEqual([]);
	});

	it('is absent when the execution does not stream', () => {
		const { context, chunks } = streamingContext(false);

		expect(itemStream(context, 0)).toBeUndefined();
		streamApprovalRequest(context, 0, 'http://n8n/webhook-waiting/1?signature=abc');
		expect(chunks).toEqual([]);
	});

	it('sends the approval link as a message of its own', () => {
		const { context, chunks } = streamingContext(true);

		streamApprovalRequest(context, 1, 'http://n8n/webhook-waiting/1?signature=abc');

		expect(chunks).toEqual([
			['begin', 1],
			['item', 1, "\n\nThis needs a person's approval before the agent goes on: http://n8n/webhook-waiting/1?signature=abc"],
			['end', 1],
		]);
	});
});
