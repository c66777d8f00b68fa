import { z } from 'zod/v4';

import { ReplayError } from '../engine/replay/replay-error';
import type { RunLocation } from '../storage';
import { runLocationOfTranscript } from '../storage/stored-run';
import type { ResumeStorage } from '../resume';

const runIdsSchema = z.object({ workflowId: z.string().min(1), executionId: z.string().min(1), nodeId: z.string().min(1), runId: z.string().min(1) });

/**
 * How a run to replay is given: an item of List Runs (its ids), an item of Needs Approval (its
 * pause `reference`), an item of Done (its `transcript` location), or that location alone. Other
 * fields of an item are ignored, so a whole item can be passed.
 */
export const replaySourceSchema = z.union([runIdsSchema, z.object({ reference: runIdsSchema }), z.object({ transcript: z.string().min(1) }), z.string().min(1)]);
export type ReplaySource = z.infer<typeof replaySourceSchema>;

/** Where the run to replay lives in this storage; a ReplayError says how to give it otherwise. */
export function runLocationOfSource(storage: ResumeStorage, value: unknown): RunLocation {
	const parsed = replaySourceSchema.safeParse(value);
	if (!parsed.success) {
		throw new ReplayError(
			'source_invalid',
			'The run to replay is not one this node can read. Give an item of List Runs (workflowId, executionId, nodeId, runId), an item of Needs Approval (its reference), or an item of Done (its transcript).',
		);
	}
	// Each option keeps only its own fields: the first that fits says how the run was given.
	const source = parsed.data;
	if (typeof source !== 'string' && !('transcript' in source)) {
		const ids = 'reference' in source ? source.reference : source;
		return { prefix: storage.prefix, workflowId: ids.workflowId, executionId: ids.executionId, nodeId: ids.nodeId, runId: ids.runId };
	}
	const transcript = typeof source === 'string' ? source : source.transcript;
	const location = runLocationOfTranscript(storage.store, storage.prefix, transcript);
	if (location === undefined) {
		throw new ReplayError(
			'source_invalid',
			`The transcript ${transcript} is not a run's transcript in this node's storage (${storage.store.location}, prefix '${storage.prefix}'). Set Storage (and its folder or bucket and prefix) to where the run was stored.`,
		);
	}
	return location;
}
