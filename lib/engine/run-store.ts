import { z } from 'zod/v4';

import { toolResultPartSchema, type ToolResultPart } from './model/messages';
import type { RunRecord } from './run-record';
import type { TranscriptEntry } from './transcript-entry';

/** A tool call's intent, journaled before it runs: a call with an intent and no result may have had its effect. */
export const journalIntentSchema = z.strictObject({ toolName: z.string(), input: z.unknown() });
export type JournalIntent = z.infer<typeof journalIntentSchema>;

/** A tool call's result, journaled after it ran: what a resumed run returns instead of running the call again. */
export const journalResultSchema = toolResultPartSchema;

/** Intent before, result after, for every tool call: what keeps a resumed run from running a call twice. */
export type ToolJournal = {
	recordIntent(toolCallId: string, intent: JournalIntent): Promise<void>;
	recordResult(toolCallId: string, result: ToolResultPart): Promise<void>;
	read(toolCallId: string): Promise<{ started: boolean; result?: ToolResultPart }>;
};

/** The storage port the engine writes a run to (implemented by lib/storage's run store). */
export type RunStore = {
	readonly transcriptLocation: string;
	/** Writes one turn's transcript object; writing the same turn again replaces it (a retried turn). */
	appendTurn(turn: number, entries: readonly TranscriptEntry[]): Promise<void>;
	writeRunRecord(record: RunRecord): Promise<void>;
	/** Stores a tool output too large for the context; returns the reference the model reads it back with. */
	writeToolOutput(toolCallId: string, text: string): Promise<string>;
	/** A stored tool output by its reference; undefined when this run stored nothing under it. */
	readToolOutput(reference: string): Promise<string | undefined>;
	/**
	 * Stores a file sent with the task (an image, a PDF) once per run and content; returns its
	 * reference, which file parts keep instead of the bytes.
	 */
	writeAttachment(data: Uint8Array, mediaType: string): Promise<string>;
	/** A stored file by its reference; undefined when this run stored none under it. */
	readAttachment(reference: string): Promise<Buffer | undefined>;
	/** Stores a pause's snapshot; returns its key and the SHA-256 of the stored bytes. */
	writeSnapshot(pauseId: string, body: string): Promise<{ key: string; hash: string }>;
	journal: ToolJournal;
};
