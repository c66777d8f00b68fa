import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

import { transcriptEntrySchema, type TranscriptEntry } from '../../../lib/engine';

/**
 * Reading what the agents stored in the bucket, with the AWS SDK rather than the package's own
 * store, and checking it the way a person auditing a run would: every object parses, the turns are
 * all there in order, the conversation is well formed, and each record names the process that
 * wrote it.
 */


export type StoredTurn = { key: string; turn: number; entries: TranscriptEntry[] };

/** A run's stored objects under `…/runs/{runId}/`. */
export type StoredRun = {
	runId: string;
	folder: string;
	keys: string[];
	record: { status: string; process?: string; [field: string]: unknown };
	turns: StoredTurn[];
	/** Journal entries by tool call id: which phases exist. */
	journal: Map<string, { intent: boolean; result: boolean }>;
};

export type Bucket = {
	list(prefix: string): Promise<string[]>;
	text(key: string): Promise<string>;
	close(): void;
};

/** s3rver's fixed credentials; path-style addressing, as the storage credential in the tests sets it. */
export function openBucket(endpoint: string, bucket: string): Bucket {
	// Timeouts as the package's own S3 client has them: a request stuck on a busy machine is retried, never waited on for good.
	const client = new S3Client({
		endpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
		requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
	});
	return {
		async list(prefix) {
			const keys: string[] = [];
			let token: string | undefined;
			do {
				const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
				keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
				token = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (token !== undefined);
			return keys.sort();
		},
		async text(key) {
			const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
			return (await object.Body?.transformToString('utf8')) ?? '';
		},
		close: () => client.destroy(),
	};
}

function parseJson(text: string, where: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new Error(`${where} is not valid JSON (${(error as Error).message}): ${text.slice(0, 200)}`);
	}
}

/** Every agent run stored under one execution's folder (`{prefix}/workflows/{id}/executions/{id}/`). */
export async function readStoredRuns(bucket: Bucket, executionFolder: string): Promise<StoredRun[]> {
	const keys = await bucket.list(executionFolder);
	const folders = [...new Set(keys.flatMap((key) => /^(.*\/runs\/[^/]+\/)/.exec(key)?.[1] ?? []))];
	return await Promise.all(folders.map((folder) => readStoredRun(bucket, folder, keys.filter((key) => key.startsWith(folder)))));
}

async function readStoredRun(bucket: Bucket, folder: string, keys: string[]): Promise<StoredRun> {
	const recordKey = `${folder}run.json`;
	const record = parseJson(await bucket.text(recordKey), recordKey) as StoredRun['record'];
	const turnKeys = keys.filter((key) => key.startsWith(`${folder}transcript/`));
	const turns = await Promise.all(
		turnKeys.map(async (key) => {
			const lines = (await bucket.text(key)).split('\n').filter((line) => line !== '');
			// Every line must be an entry the engine's schema accepts: what an auditor would check first.
			const entries = lines.map((line, index) => transcriptEntrySchema.parse(parseJson(line, `line ${index + 1} of ${key}`)));
			return { key, turn: Number(/(\d+)\.ndjson$/.exec(key)?.[1]), entries };
		}),
	);
	const journal = new Map<string, { intent: boolean; result: boolean }>();
	for (const key of keys) {
		const entry = /journal\/(.+)\.(intent|result)\.json$/.exec(key);
		if (entry === null) continue;
		const phases = journal.get(entry[1]) ?? { intent: false, result: false };
		phases[entry[2] as 'intent' | 'result'] = true;
		journal.set(entry[1], phases);
	}
	return { runId: /runs\/([^/]+)\/$/.exec(folder)?.[1] ?? '', folder, keys, record, turns, journal };
}

/**
 * What is wrong with a run's transcript: turn objects 000001…N without a gap, messages alternating
 * user/assistant from the task on, every tool call answered by a result in the next message, and
 * (when `finished`) a last message that is the model's answer. Empty when all is well.
 */
export function transcriptProblems(run: StoredRun, { finished }: { finished: boolean }): string[] {
	const problems: string[] = [];
	const numbers = run.turns.map((turn) => turn.turn);
	const expected = numbers.map((_, index) => index + 1);
	if (numbers.join(',') !== expected.join(',')) problems.push(`turn objects are ${numbers.join(',')}, expected ${expected.join(',')}`);
	const messages = run.turns.flatMap((turn) => turn.entries).flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));
	messages.forEach((message, index) => {
		const role = index % 2 === 0 ? 'user' : 'assistant';
		if (message.role !== role) problems.push(`message ${index + 1} is from the ${message.role}, expected the ${role}`);
		if (message.role !== 'assistant') return;
		const calls = message.content.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : []));
		const answered = (messages[index + 1]?.content ?? []).flatMap((part) => (part.type === 'tool-result' ? [part.toolCallId] : []));
		const next = messages[index + 1];
		if (calls.length > 0 && next === undefined && finished) problems.push(`tool calls ${calls.join(', ')} of message ${index + 1} have no results`);
		if (next !== undefined && calls.join(',') !== answered.join(',')) problems.push(`message ${index + 1} calls [${calls.join(', ')}] but message ${index + 2} answers [${answered.join(', ')}]`);
	});
	const last = messages.at(-1);
	if (finished && (last?.role !== 'assistant' || last.content.some((part) => part.type === 'tool-call'))) problems.push('the last message is not the final answer');
	return problems;
}

/** The process that paused the run, and the one that applied the decisions, from the transcript. */
export function pauseAndContinuation(run: StoredRun): { pausedOn?: string; continuedOn?: string } {
	const entries = run.turns.flatMap((turn) => turn.entries);
	const processOf = (type: 'paused' | 'decisions') => entries.flatMap((entry) => (entry.type === type ? [entry.process] : []))[0];
	return { pausedOn: processOf('paused'), continuedOn: processOf('decisions') };
}

/** Every distinct process that wrote an entry or the run record. */
export function writingProcesses(run: StoredRun): string[] {
	const labels = run.turns.flatMap((turn) => turn.entries).flatMap((entry) => ('process' in entry && entry.process ? [entry.process] : []));
	return [...new Set([...labels, ...(run.record.process ? [run.record.process] : [])])];
}
