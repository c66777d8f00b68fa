import { z } from 'zod/v4';

import type { Tool } from '../tool';
import { toolInputSchema } from './tool-input-schema';

const thinkInput = z.object({
	thought: z.string().describe('What you are thinking: the rules that apply, what the results so far mean, what to do next.'),
});

/**
 * A scratchpad the model can call between other tool calls (Anthropic's "think" tool pattern).
 * The thought itself is the value: it stays in the transcript as the call's arguments, so the
 * tool only acknowledges it. Nothing is shared between calls, so it is safe to run concurrently.
 */
export const thinkTool: Tool = {
	name: 'think',
	description:
		'Use this tool to think about something. It does not fetch new information or change anything; it only records the thought. ' +
		'Use it when you need to reason step by step: to check which rules apply, to review the results of earlier tool calls, ' +
		'or to plan the next calls before acting.',
	inputSchema: toolInputSchema(thinkInput),
	concurrencySafe: true,
	readOnly: true,
	async execute(input) {
		thinkInput.parse(input);
		return 'Thought recorded.';
	},
};
