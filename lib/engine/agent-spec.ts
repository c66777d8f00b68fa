import type { LanguageModel } from './model/language-model';
import type { JsonSchema } from './model/messages';
import type { Tool } from './tools/tool';

/** What the final answer must be. `json` answers are validated and repaired for up to `repairTurns` turns. */
export type OutputSpec = { type: 'text' } | { type: 'json'; schema: JsonSchema; repairTurns: number };

export type RunLimits = {
	/** Model calls allowed, repair turns included. */
	maxTurns: number;
	/** Total tokens (input, output and cache) the run may spend; undefined = no budget. */
	maxTotalTokens?: number;
	/** Wall-clock limit for the whole run; undefined = none. */
	timeoutMs?: number;
	/** Concurrency-safe tool calls of one turn run at most this many at a time. */
	toolConcurrency: number;
	maxOutputTokensPerTurn: number;
};

export type RetryPolicy = { maxRetries: number; baseDelayMs: number; maxDelayMs: number };

/** Everything that defines an agent. Holds no secrets: models carry their keys inside closures. */
export type AgentSpec = {
	model: LanguageModel;
	fallbackModel?: LanguageModel;
	instructions: string;
	tools: readonly Tool[];
	output: OutputSpec;
	limits: RunLimits;
	retry: RetryPolicy;
};

export type RunInput = { runId: string; task: string };

/** The storage port the engine writes a run to (implemented by lib/storage's run store). */
export type RunStore = {
	readonly transcriptLocation: string;
	appendTurn(turn: number, entries: readonly unknown[]): Promise<void>;
	writeRunRecord(record: unknown): Promise<void>;
};

/** Every side effect the engine has, injected so tests can use fakes. */
export type EngineDeps = {
	store: RunStore;
	now(): number;
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	random(): number;
	/** Aborted when n8n cancels the execution. */
	signal?: AbortSignal;
};
