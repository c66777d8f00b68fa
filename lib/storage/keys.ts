import type { MemoryScope } from './memory-scope';

/**
 * The one place that builds storage keys. Layout:
 *
 * ```
 * {prefix}/workflows/{workflowId}/executions/{executionId}/nodes/{nodeId}/runs/{runId}/
 *     run.json                  the small run record
 *     transcript/000001.ndjson  one object per turn
 *     snapshots/{pauseId}.json  the frozen run at each pause
 *     decisions/{pauseId}.json  the human's decision on that pause (written once)
 *     continuations/{pauseId}.json  claimed once, by the agent that applies the decision
 *     continuations/{pauseId}.attempt-2.json …  claimed to recover a continuation whose process died
 *     journal/{toolCallId}.intent.json, .result.json   before and after every tool call
 *     tool-outputs/{toolCallId}.txt   a tool result too large for the context, read back by the model
 *     attachments/{sha256}      a file sent with the task (image, PDF), stored once per run and content
 * {prefix}/workflows/{workflowId}/executions/{executionId}/nodes/{resumeNodeId}/
 *     wait.json                 what the Resume node is waiting for (the approval page's data)
 *     waits/{waitId}/resumed.json   written once, by the request that resumes the execution
 * {prefix}/keys/approval-signing-key   secret for approval tokens, created once per store
 * {prefix}/memory/workflows/{workflowId}/…   "This Workflow" memory of one workflow
 * {prefix}/memory/keys/{key}/…                a custom-key memory scope, shared by the workflows using the key
 *     entries/{entryId}.json    one fact or lesson (never rewritten)
 *     episodes/{entryId}.json   one run's short summary
 *     contents/{sha256}.json    claimed once per distinct fact or lesson text: which entry holds it
 * ```
 *
 * Every id is escaped as one segment, so no id can add, remove or climb out of a folder.
 */

/** Where one agent run lives: the n8n ids that own it, under a configurable prefix. */
export type RunLocation = {
	/** Folder for everything this package stores; may be empty or contain `/`. */
	prefix: string;
	workflowId: string;
	executionId: string;
	nodeId: string;
	runId: string;
};

/** Turn numbers are padded to this many digits so that sorting keys sorts turns. */
const turnDigits = 6;
const maxTurn = 10 ** turnDigits - 1;

/** The run's folder, ending in `/` so it is also a list prefix that matches no other run. */
export function runFolder(location: RunLocation): string {
	return `${nodeFolder(location)}runs/${escapeSegment('runId', location.runId)}/`;
}

/** The folder holding the run's per-turn transcript objects, ending in `/`. */
export function transcriptFolder(location: RunLocation): string {
	return `${runFolder(location)}transcript/`;
}

/** The transcript object of one turn (turns start at 1), e.g. `…/transcript/000001.ndjson`. */
export function transcriptTurnKey(location: RunLocation, turn: number): string {
	if (!Number.isInteger(turn) || turn < 1 || turn > maxTurn) {
		throw new Error(`Cannot build a transcript key: turn must be a whole number from 1 to ${maxTurn}, got ${turn}.`);
	}
	return `${transcriptFolder(location)}${String(turn).padStart(turnDigits, '0')}.ndjson`;
}

/** The run record: status, usage, output… */
export function runRecordKey(location: RunLocation): string {
	return `${runFolder(location)}run.json`;
}

/** The snapshot written when the run paused with this pause id. */
export function snapshotKey(location: RunLocation, pauseId: string): string {
	return `${runFolder(location)}snapshots/${escapeSegment('pauseId', pauseId)}.json`;
}

/** The decision on one pause; written with "only if absent" so a pause is decided once. */
export function decisionKey(location: RunLocation, pauseId: string): string {
	return `${runFolder(location)}decisions/${escapeSegment('pauseId', pauseId)}.json`;
}

/**
 * Claimed with "only if absent" by the one agent execution that applies a pause's decision
 * (attempt 1). A continuation whose process died is recovered under the next attempt's key, so
 * each attempt is claimed exactly once too.
 */
export function continuationKey(location: RunLocation, pauseId: string, attempt = 1): string {
	if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`Cannot build a continuation key: attempt must be a whole number from 1, got ${attempt}.`);
	const suffix = attempt === 1 ? '' : `.attempt-${attempt}`;
	return `${continuationsFolder(location)}${escapeSegment('pauseId', pauseId)}${suffix}.json`;
}

/** Every continuation claim of the run, ending in `/`. */
export function continuationsFolder(location: RunLocation): string {
	return `${runFolder(location)}continuations/`;
}

/** The attempt a listed key claims for this pause (see continuationKey); undefined for any other key. */
export function continuationAttemptOf(location: RunLocation, pauseId: string, key: string): number | undefined {
	const first = continuationKey(location, pauseId);
	if (key === first) return 1;
	const prefix = `${first.slice(0, -'.json'.length)}.attempt-`;
	if (!key.startsWith(prefix) || !key.endsWith('.json')) return undefined;
	const attempt = Number(key.slice(prefix.length, -'.json'.length));
	return Number.isInteger(attempt) && attempt > 1 && continuationKey(location, pauseId, attempt) === key ? attempt : undefined;
}

/** Journal entries of one tool call: its intent (before it runs) and its result (after). */
export function journalKey(location: RunLocation, toolCallId: string, phase: 'intent' | 'result'): string {
	return `${journalFolder(location)}${escapeSegment('toolCallId', toolCallId)}.${phase}.json`;
}

/** The run's whole tool-call journal, ending in `/`. */
export function journalFolder(location: RunLocation): string {
	return `${runFolder(location)}journal/`;
}

/** A large tool result, stored whole so the model can read it back in parts. */
export function toolOutputKey(location: RunLocation, toolCallId: string): string {
	return `${runFolder(location)}tool-outputs/${escapeSegment('toolCallId', toolCallId)}.txt`;
}

/** A file sent with the task, named by the hex SHA-256 of its bytes: stored once, however often a run sends it. */
export function attachmentKey(location: RunLocation, contentHash: string): string {
	if (!/^[0-9a-f]{64}$/.test(contentHash)) throw new Error(`Cannot build an attachment key: ${JSON.stringify(contentHash)} is not a hex SHA-256.`);
	return `${runFolder(location)}attachments/${contentHash}`;
}

/** The folder of one memory scope (outlives executions), ending in `/`. Workflow scopes and custom keys never share a folder. */
export function memoryFolder(prefix: string, scope: MemoryScope): string {
	const scopeSegments = scope.kind === 'workflow' ? ['workflows', escapeSegment('workflowId', scope.workflowId)] : ['keys', escapeSegment('scope key', scope.key)];
	return `${[...prefixSegments(prefix), 'memory', ...scopeSegments].join('/')}/`;
}

/** One memory entry (a fact or lesson) or episode summary; each is its own object, so writers never collide. */
export function memoryEntryKey(prefix: string, scope: MemoryScope, kind: 'entries' | 'episodes', entryId: string): string {
	return `${memoryFolder(prefix, scope)}${kind}/${escapeSegment('entryId', entryId)}.json`;
}

/** The one-time claim of a fact or lesson text within a scope (`contentHash`: hex SHA-256 of the normalised text). */
export function memoryContentKey(prefix: string, scope: MemoryScope, contentHash: string): string {
	return `${memoryFolder(prefix, scope)}contents/${escapeSegment('contentHash', contentHash)}.json`;
}

/** Every execution of one workflow, ending in `/`: the folder a sweep for recoverable runs lists. */
export function workflowFolder(prefix: string, workflowId: string): string {
	return `${[...prefixSegments(prefix), 'workflows', escapeSegment('workflowId', workflowId)].join('/')}/`;
}

/** What a key listed under workflowFolder holds: a run's record, a Resume node's wait record, or something else. */
export type WorkflowObject =
	| { kind: 'run-record'; location: RunLocation }
	| { kind: 'wait-record'; location: NodeLocation }
	| { kind: 'other' };

/** Reads a listed key back into the ids it was built from (the inverse of runRecordKey and waitRecordKey). */
export function workflowObjectOf(prefix: string, workflowId: string, key: string): WorkflowObject {
	const folder = workflowFolder(prefix, workflowId);
	if (!key.startsWith(folder)) return { kind: 'other' };
	const segments = key.slice(folder.length).split('/');
	if (segments[0] !== 'executions' || segments[2] !== 'nodes') return { kind: 'other' };
	let ids: string[];
	try {
		ids = [segments[1], segments[3], segments[5] ?? ''].map((segment) => decodeURIComponent(segment));
	} catch {
		return { kind: 'other' };
	}
	const [executionId, nodeId, runId] = ids;
	if (executionId === '' || nodeId === '') return { kind: 'other' };
	const node: NodeLocation = { prefix, workflowId, executionId, nodeId };
	if (segments.length === 5 && segments[4] === 'wait.json' && waitRecordKey(node) === key) return { kind: 'wait-record', location: node };
	if (segments.length === 7 && segments[4] === 'runs' && runId !== '' && segments[6] === 'run.json' && runRecordKey({ ...node, runId }) === key) return { kind: 'run-record', location: { ...node, runId } };
	return { kind: 'other' };
}

/** Where a node of an execution keeps per-execution state (the Resume node's wait). */
export type NodeLocation = Omit<RunLocation, 'runId'>;

function nodeFolder(location: NodeLocation): string {
	const segments = [
		...prefixSegments(location.prefix),
		'workflows',
		escapeSegment('workflowId', location.workflowId),
		'executions',
		escapeSegment('executionId', location.executionId),
		'nodes',
		escapeSegment('nodeId', location.nodeId),
	];
	return `${segments.join('/')}/`;
}

/** The Resume node's current wait record. */
export function waitRecordKey(location: NodeLocation): string {
	return `${nodeFolder(location)}wait.json`;
}

/** Claimed once, by the request that resumes the execution for this wait. */
export function resumeClaimKey(location: NodeLocation, waitId: string): string {
	return `${nodeFolder(location)}waits/${escapeSegment('waitId', waitId)}/resumed.json`;
}

/** The secret approval tokens are signed with: one per store and prefix, shared by every n8n process. */
export function signingSecretKey(prefix: string): string {
	return [...prefixSegments(prefix), 'keys', 'approval-signing-key'].join('/');
}

/** The prefix split into escaped segments; leading, trailing and doubled slashes are dropped. */
function prefixSegments(prefix: string): string[] {
	return prefix
		.split('/')
		.filter((segment) => segment !== '')
		.map((segment) => escapeSegment('prefix', segment));
}

/**
 * Percent-encodes one segment (encodeURIComponent plus `!'()*`, which some file systems reject) and
 * a leading `.`, so `..` and hidden names cannot occur. Decoding with decodeURIComponent gives the id back.
 */
function escapeSegment(field: string, value: string): string {
	if (value === '') throw new Error(`Cannot build a storage key: ${field} is empty.`);
	let encoded: string;
	try {
		encoded = encodeURIComponent(value);
	} catch (error) {
		throw new Error(`Cannot build a storage key: ${field} ${JSON.stringify(value)} is not valid Unicode text.`, { cause: error });
	}
	return encoded
		.replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/^\./, '%2E');
}

/** The folder of the objects that prove, once per process, that the store enforces "only if absent" writes. */
export function conditionalWriteProbeFolder(prefix: string): string {
	return `${[...prefixSegments(prefix), 'keys', 'conditional-write-probes'].join('/')}/`;
}
