import { z } from 'zod/v4';

import { toolInputSchema } from '../tools/builtin/tool-input-schema';
import type { Tool } from '../tools/tool';
import { textSliceBounds } from './slice-text';
import { readToolOutputToolName, type ToolOutputStore } from './stored-output-note';

/** The most characters one call returns: a page the size of a large result, never the whole flood. */
export const maxReadCharacters = 20_000;
const defaultReadCharacters = 10_000;

const readToolOutputInput = z.object({
	reference: z.string().min(1).describe('The reference from the note at the end of the shortened tool result.'),
	offset: z.number().int().min(0).optional().describe('Character position to start reading at; 0 (the start) when omitted.'),
	length: z
		.number()
		.int()
		.min(1)
		.max(maxReadCharacters)
		.optional()
		.describe(`How many characters to read; ${defaultReadCharacters} when omitted.`),
});

/**
 * `read_tool_output`: reads a page of a tool output that was too large for the context and was
 * stored instead (see offloadLargeToolResult). Reading changes nothing, so calls may run together.
 */
export function createReadToolOutputTool(port: Pick<ToolOutputStore, 'readToolOutput'>): Tool {
	return {
		name: readToolOutputToolName,
		description:
			'Read part of a tool output that was too large to show in full. Such results end with a note giving a reference; ' +
			'pass it with an offset (and optionally a length) to read the next part. The answer starts with a line saying which characters it holds and where to continue.',
		inputSchema: toolInputSchema(readToolOutputInput),
		concurrencySafe: true,
		readOnly: true,
		async execute(input) {
			const { reference, offset = 0, length = defaultReadCharacters } = readToolOutputInput.parse(input);
			const text = await port.readToolOutput(reference);
			if (text === undefined) {
				throw new Error(`No stored output has the reference ${JSON.stringify(reference)}. Use the reference exactly as the note at the end of the shortened result gives it.`);
			}
			const { start, end } = textSliceBounds(text, offset, offset + length);
			const position = `[Characters ${start} to ${end} of ${text.length}.`;
			const rest = end < text.length ? ` ${text.length - end} more: continue with offset ${end}.]` : ' This is the end of the output.]';
			return `${position}${rest}\n${text.slice(start, end)}`;
		},
	};
}
