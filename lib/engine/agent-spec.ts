import type { ModelPrice } from './budget/price-table';
import type { ContextPolicy } from './context/context-policy';
import type { InputFile } from './files/input-file';
import type { AgentMemory } from './memory/agent-memory';
import type { LanguageModel } from './model/language-model';
import type { JsonSchema, Message } from './model/messages';
import type { RunStore } from './run-store';
import type { Tool } from './tools/tool';
import type { FaultPort } from './fault-points';

/** What the final answer must be. `json` answers are validated and repaired for up to `repairTurns` turns. */
export type OutputSpec = { type: 'text' } | { type: 'json'; schema: JsonSchema; repairTurns: number };

export type RunLimits = {
	/** Model calls allowed, repair turns included. */
	maxTurns: number;
	/** Total tokens (input, output and cache) the run may spend; undefined = no budget. */
	maxTotalTokens?: number;
	/** Estimated cost in USD the run may spend (needs the model's price); undefined = no budget. */
	maxCostUsd?: number;
	/**
	 * Share of a budget (0–1) at which the model is asked once to wrap up; undefined = never. Applies
	 * to whichever budget is set, and the larger share counts.
	 */
	softBudgetFraction?: number;
	/** What a spent token or cost budget does: fail the run, or pause it so a person can allow as much again. Default: fail. */
	onBudgetExceeded?: 'fail' | 'ask';
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
	/** Price of the main model, for cost estimates and the cost budget; undefined = unknown. */
	price?: ModelPrice;
	fallbackModel?: LanguageModel;
	instructions: string;
	tools: readonly Tool[];
	output: OutputSpec;
	/** Memory across runs: a prompt block at start, recall/remember tools, an episode at the end; undefined = off. */
	memory?: AgentMemory;
	/**
	 * A chat session's memory (n8n's Memory sub-nodes): the exchange — the task and the final
	 * answer — is saved once, when the run completes; never at a pause, and never tool messages,
	 * so the session can hold no tool result without its call.
	 */
	conversation?: ConversationMemory;
	/** Context-window management (shortening, offloading, summarising); undefined = off. */
	contextPolicy?: ContextPolicy;
	limits: RunLimits;
	retry: RetryPolicy;
};

/**
 * What one run is asked. `history`: earlier messages of the conversation (a chat session from a
 * connected memory), starting with a user message and never leaving a tool result without its call.
 * `files`: images and PDFs sent with the task (stored once, see files/run-files.ts).
 */
export type RunInput = { runId: string; task: string; history?: readonly Message[]; files?: readonly InputFile[] };

export type ConversationMemory = { saveExchange(task: string, answer: string): Promise<void> };

/** Every side effect the engine has, injected so tests can use fakes. */
export type EngineDeps = {
	store: RunStore;
	now(): number;
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	random(): number;
	/** Aborted when n8n cancels the execution. */
	signal?: AbortSignal;
	/** Which process ran a step (e.g. `host:pid`), stamped on run records and turns; queue mode spreads a run over workers. */
	processLabel?: string;
	/**
	 * How long a running run's record stays valid without a heartbeat (default 60 s). A `running`
	 * record older than its lease belongs to a process that stopped: the run was interrupted.
	 */
	runLeaseMs?: number;
	/** Random ids (pause ids); injected so tests are repeatable. */
	newId(): string;
	/** Test-only: told at each step boundary a crash matters at (fault-points.ts); absent in production. */
	faults?: FaultPort;
	/**
	 * Receives a text answer's pieces as the model writes them, turn by turn (n8n's streaming
	 * response to a Chat Trigger or Webhook). Not used for JSON output, whose raw text is no reply.
	 */
	streamText?(delta: string): void;
};
