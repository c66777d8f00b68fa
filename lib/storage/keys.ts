/**
 * The one place that builds storage keys. Layout:
 *
 * ```
 * {prefix}/workflows/{workflowId}/executions/{executionId}/nodes/{nodeId}/runs/{runId}/
 *     run.json                  the small run record
 *     transcript/000001.ndjson  one object per turn
 * {prefix}/memory/{scope}/…     (reserved: memory outlives executions)
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
	const segments = [
		...prefixSegments(location.prefix),
		'workflows',
		escapeSegment('workflowId', location.workflowId),
		'executions',
		escapeSegment('executionId', location.executionId),
		'nodes',
		escapeSegment('nodeId', location.nodeId),
		'runs',
		escapeSegment('runId', location.runId),
	];
	return `${segments.join('/')}/`;
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
