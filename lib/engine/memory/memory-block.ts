/**
 * How the memory block sits in the system prompt: last, behind its own tag line, so the Anthropic
 * adapter can send it as a separate, separately cached system block after the instructions.
 */
export const memoryBlockTag = '<memory>';

export function wrapMemoryBlock(block: string): string {
	return block ? `${memoryBlockTag}\n${block}\n</memory>` : '';
}
