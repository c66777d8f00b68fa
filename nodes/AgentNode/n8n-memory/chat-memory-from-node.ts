import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isLangChainMemory, type LangChainMemory } from './chat-memory';

/** The Memory sub-node connected to the node's Chat Memory input for this item, or undefined when none is. */
export async function chatMemoryFor(context: IExecuteFunctions, itemIndex: number): Promise<LangChainMemory | undefined> {
	const supplied = (await context.getInputConnectionData(NodeConnectionTypes.AiMemory, itemIndex)) as unknown;
	const memory = Array.isArray(supplied) ? supplied[0] : supplied;
	if (memory === undefined || memory === null) return undefined;
	if (!isLangChainMemory(memory)) {
		throw new NodeOperationError(context.getNode(), 'The node connected to Chat Memory is not a chat memory', {
			itemIndex,
			description: 'Connect a Memory sub-node such as Simple Memory, Postgres Chat Memory or Redis Chat Memory.',
		});
	}
	return memory;
}
