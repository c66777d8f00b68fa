import { createHash } from 'node:crypto';

import { z } from 'zod/v4';

import { summaryStateSchema } from '../context/request-view';
import { extractText, messageSchema, toolResultPartSchema, usageSchema } from '../model/messages';
import { pendingCallSchema } from './pending-call';

/**
 * The frozen state of a paused run. A versioned contract: stored snapshots outlive deployments, so
 * every change to this shape gets a new `schemaVersion`, an entry in the changelog below, and a
 * frozen fixture under test/fixtures/snapshots/.
 *
 * Changelog
 * - 1: first version (before the first release it gained the `budget` pending kind and
 *   `budgetGrants`, defaulting to 0, the optional context `summary` and the optional
 *   `transcriptTurns`, so the frozen v1 fixture still reads); later the optional pending `reason`
 *   and the optional `task` (absent: the first message is the task, as before chat history);
 *   then user messages gained `file` parts (a reference to a file stored with the run, never its
 *   bytes), an addition older snapshots never contain.
 */
export const snapshotSchemaVersion = 1;

/** What the run was defined as when it paused, kept readable so a mismatch can say what changed. */
const definitionSchema = z.strictObject({
	model: z.string(),
	tools: z.array(z.strictObject({ name: z.string(), schemaHash: z.string() })),
	outputHash: z.string(),
});

export type AgentDefinition = z.infer<typeof definitionSchema>;

export const snapshotSchema = z.strictObject({
	schemaVersion: z.literal(snapshotSchemaVersion),
	runId: z.string().min(1),
	pauseId: z.string().min(1),
	pausedAt: z.string(),
	definition: definitionSchema,
	/** The system prompt the run started with; a resumed run keeps it, even if expressions would now give another. */
	system: z.string(),
	messages: z.array(messageSchema).min(1),
	pending: z.array(pendingCallSchema).min(1),
	/** Results of the paused turn's calls that needed no approval: they ran once, before the pause. */
	completedResults: z.array(toolResultPartSchema),
	usage: usageSchema,
	turns: z.number().int().min(0),
	/** Transcript objects written up to and including the pause's; absent in older snapshots, where it equals `turns`. */
	transcriptTurns: z.number().int().min(0).optional(),
	repairTurnsUsed: z.number().int().min(0),
	budgetGrants: z.number().int().min(0).default(0),
	/** The summary of older turns the request view starts with (context management). */
	summary: summaryStateSchema.optional(),
	/** The run's task; the messages may start with a chat session's earlier messages. */
	task: z.string().optional(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;

/** The part of a run's state a snapshot keeps; the loop's `RunState` is this plus what lasts only until a pause. */
export type FrozenRunState = Pick<Snapshot, 'messages' | 'usage' | 'turns' | 'repairTurnsUsed' | 'budgetGrants' | 'summary' | 'task'> & { transcriptTurns: number };

/** Where and why the run paused: everything a snapshot holds besides the run's state. */
export type PauseFrame = Pick<Snapshot, 'runId' | 'pauseId' | 'pausedAt' | 'definition' | 'system' | 'pending' | 'completedResults'> & {
	/** The transcript object the pause is written to. */
	transcriptTurns: number;
};

/** The snapshot of a run paused at `pause` in `state`. */
export function snapshotFromState(state: FrozenRunState, pause: PauseFrame): Snapshot {
	return {
		schemaVersion: snapshotSchemaVersion,
		runId: pause.runId,
		pauseId: pause.pauseId,
		pausedAt: pause.pausedAt,
		definition: pause.definition,
		system: pause.system,
		messages: state.messages,
		pending: pause.pending,
		completedResults: pause.completedResults,
		usage: state.usage,
		turns: state.turns,
		transcriptTurns: pause.transcriptTurns,
		repairTurnsUsed: state.repairTurnsUsed,
		budgetGrants: state.budgetGrants,
		summary: state.summary,
		task: state.task,
	};
}

/** The run's state as it was when it paused, ready to go on (its messages a fresh array). */
export function stateFromSnapshot(snapshot: Snapshot): FrozenRunState {
	return {
		messages: [...snapshot.messages],
		usage: snapshot.usage,
		turns: snapshot.turns,
		transcriptTurns: snapshot.transcriptTurns ?? snapshot.turns,
		repairTurnsUsed: snapshot.repairTurnsUsed,
		budgetGrants: snapshot.budgetGrants,
		summary: snapshot.summary,
		task: snapshot.task ?? extractText(snapshot.messages[0]),
	};
}

export type SnapshotParse = { ok: true; snapshot: Snapshot } | { ok: false; message: string };

/**
 * Reads a stored snapshot. Refuses other versions (a newer package wrote it, or it is not a
 * snapshot at all), prototype-polluting keys and anything that does not match the schema.
 */
export function parseSnapshot(text: string): SnapshotParse {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		return { ok: false, message: `The snapshot is not valid JSON (${(error as Error).message}); it may be corrupted.` };
	}
	if (hasPrototypeKeys(raw)) return { ok: false, message: 'The snapshot contains __proto__, constructor or prototype keys and was refused.' };
	const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
	if (typeof version === 'number' && version > snapshotSchemaVersion) {
		return {
			ok: false,
			message: `The snapshot has schema version ${version}, but this package reads version ${snapshotSchemaVersion}. It was written by a newer n8n-nodes-durable-agent: update the package on every n8n process.`,
		};
	}
	const parsed = snapshotSchema.safeParse(raw);
	if (!parsed.success) return { ok: false, message: `The snapshot is not a valid version ${snapshotSchemaVersion} snapshot: ${z.prettifyError(parsed.error)}` };
	return { ok: true, snapshot: parsed.data };
}

/** Reads stored snapshot bytes that must hash to `expectedHash` (from the pause reference). */
export function readSnapshot(body: Buffer, expectedHash: string): SnapshotParse {
	if (sha256(body) !== expectedHash) {
		return { ok: false, message: 'The stored snapshot does not match the hash in the pause reference: it was changed or replaced after the run paused.' };
	}
	return parseSnapshot(body.toString('utf8'));
}

export function serializeSnapshot(snapshot: Snapshot): string {
	return JSON.stringify(snapshot);
}

/** SHA-256 of stored bytes, hex: binds a decision to the exact snapshot it was made on. */
export function sha256(text: string | Buffer): string {
	return createHash('sha256').update(text).digest('hex');
}

function hasPrototypeKeys(value: unknown): boolean {
	if (value === null || typeof value !== 'object') return false;
	for (const key of Object.keys(value)) {
		if (key === '__proto__' || key === 'constructor' || key === 'prototype') return true;
		if (hasPrototypeKeys((value as Record<string, unknown>)[key])) return true;
	}
	return false;
}
