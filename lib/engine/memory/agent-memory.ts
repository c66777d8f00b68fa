import type { Tool } from '../tools/tool';
import { newEntryId } from './entry-id';
import { episodeSummary, type Episode } from './episode-summary';
import type { MemoryAccess } from './memory-access';
import type { MemoryEntry, MemoryPort } from './memory-entry';
import { memoryPromptBlock } from './memory-prompt-block';
import { rankEntries } from './rank-entries';
import { createRecallTool } from './recall-tool';
import { createRememberTool } from './remember-tool';

/** Memory an agent run reads at its start and may write to. */
export type AgentMemory = {
	/** The text to put in the system prompt at run start (standing instructions + the most relevant entries within the token budget), or '' when there is nothing. */
	promptBlock(task: string): Promise<string>;
	/** Tools to add to the run: `recall` (read-only and read-write) and `remember` (read-write only). */
	tools: Tool[];
	/** Writes a short episode summary at the end of a run (read-write only; no-op otherwise). Never throws for storage problems: returns a warning string instead, so a finished run is not failed by memory. */
	recordEpisode(episode: Episode): Promise<string | undefined>;
};

export type AgentMemoryOptions = {
	/** `read-only` offers `recall` and writes nothing; `read-write` adds `remember` and episode summaries. */
	mode: 'read-only' | 'read-write';
	/** The user's standing instructions, shown first in the block; not stored. */
	instructions: string;
	/** Tokens (≈ characters / 4) the entries may take in the prompt. */
	promptBudgetTokens: number;
	now(): number;
	newId(): string;
};

/** Episodes rank below a fact of default importance: one run's summary is rarely worth more. */
const episodeImportance = 2;

/**
 * Memory for one run. The scope is listed once, when first needed, and this run's own writes are
 * added to that listing: `recall` then costs no storage reads, which matters on S3 with thousands
 * of entries. Entries written meanwhile by other executions show up in the next run.
 */
export function createAgentMemory(port: MemoryPort, options: AgentMemoryOptions): AgentMemory {
	const ownEntries: MemoryEntry[] = [];
	let listing: Promise<MemoryEntry[]> | undefined;
	const storedEntries = (): Promise<MemoryEntry[]> =>
		(listing ??= port.list().catch((error: unknown) => {
			// A failed listing is not cached: the next call (e.g. a later `recall`) tries again.
			listing = undefined;
			throw error;
		}));

	const access: MemoryAccess = {
		async entries() {
			return [...ownEntries, ...(await storedEntries())];
		},
		async add(entry) {
			const written = await port.write(entry);
			if (written.stored) ownEntries.unshift(entry);
			return written;
		},
		now: options.now,
		newId: options.newId,
	};
	const canWrite = options.mode === 'read-write';

	return {
		async promptBlock(task) {
			const entries = await access.entries();
			return memoryPromptBlock({
				instructions: options.instructions,
				ranked: rankEntries(entries, task, options.now()),
				budgetTokens: options.promptBudgetTokens,
				canRemember: canWrite,
				warnings: port.warnings?.() ?? [],
			});
		},

		tools: canWrite ? [createRecallTool(access), createRememberTool(access)] : [createRecallTool(access)],

		async recordEpisode(episode) {
			if (!canWrite) return undefined;
			const now = options.now();
			const entry: MemoryEntry = {
				id: newEntryId(now, options.newId()),
				kind: 'episode',
				content: episodeSummary(episode),
				importance: episodeImportance,
				tags: [],
				createdAt: new Date(now).toISOString(),
				runId: episode.runId,
			};
			try {
				await port.write(entry);
				return undefined;
			} catch (error) {
				const reason = error instanceof Error ? error.message : String(error);
				return `Memory: the summary of run ${episode.runId} could not be stored (${reason}). The run's result is not affected.`;
			}
		},
	};
}
