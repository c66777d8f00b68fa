import { estimateTokens, formatEntry } from './format-entry';
import type { RankedEntry } from './rank-entries';

export type PromptBlockInput = {
	/** Written by the user in the node; always shown in full and not counted against the budget. */
	instructions: string;
	/** Every readable entry, best first. */
	ranked: readonly RankedEntry[];
	/** Tokens (≈ characters / 4) the entry lines may take. */
	budgetTokens: number;
	/** Whether `remember` is offered in this run. */
	canRemember: boolean;
	/** Problems met while reading memory, e.g. unreadable entries. */
	warnings: readonly string[];
};

/**
 * The memory section of the system prompt: standing instructions first, then the best entries that
 * fit the budget. An entry too large for what is left is passed over for smaller ones after it, so a
 * single long entry cannot crowd out the rest. '' when there is nothing to say.
 */
export function memoryPromptBlock(input: PromptBlockInput): string {
	const sections: string[] = [];
	const instructions = input.instructions.trim();
	if (instructions !== '') sections.push(`## Standing instructions\n${instructions}`);

	const lines: string[] = [];
	let tokensLeft = Math.max(0, input.budgetTokens);
	for (const { entry } of input.ranked) {
		const line = formatEntry(entry);
		const tokens = estimateTokens(line);
		if (tokens > tokensLeft) continue;
		lines.push(line);
		tokensLeft -= tokens;
	}
	const notShown = input.ranked.length - lines.length;
	if (lines.length > 0) sections.push(`## Remembered from earlier runs (most relevant first)\n${lines.join('\n')}`);
	if (sections.length === 0 && notShown === 0 && input.warnings.length === 0) return '';

	const notes: string[] = [];
	if (notShown > 0) {
		notes.push(`${notShown} more memory ${notShown === 1 ? 'entry is' : 'entries are'} stored; call \`recall\` with a few specific words to search them.`);
	}
	if (input.canRemember) notes.push('Call `remember` to keep a fact or lesson that will help later runs.');
	notes.push(...input.warnings);
	return ['# Memory', ...sections, ...(notes.length > 0 ? [notes.join('\n')] : [])].join('\n\n');
}
