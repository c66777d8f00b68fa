import { z } from 'zod/v4';

import type { Tool } from '../tool';
import { toolInputSchema } from './tool-input-schema';

const askHumanInput = z.object({
	question: z.string().min(1).describe('The question for the human, with the context they need to answer it.'),
});

/**
 * Lets the model ask a human. Its calls never execute: the run pauses, the question is shown on the
 * approval page, and the answer given there becomes the tool result.
 */
export const askHumanTool: Tool = {
	name: 'ask_human',
	description:
		'Ask a human a question and wait for the answer. Use it when you need information or a decision only a person can give; ' +
		'the run pauses until they answer.',
	inputSchema: toolInputSchema(askHumanInput),
	concurrencySafe: true,
	approval: { type: 'question' },
	async execute() {
		throw new Error('ask_human is answered by a human on the approval page; it never runs by itself.');
	},
};
