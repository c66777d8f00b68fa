import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { defaultRunLeaseMs, readSnapshot, resumeAgent, ResumeError, runLeaseFromEnvironment, systemDeps, validateResume, verifyApprovalToken, type AgentSpec, type RunOutcome } from '../../lib/engine';
import { createRunStore, snapshotKey } from '../../lib/storage';
import { readDecisionRecord, runLocationOf, writeDecisionRecord } from '../shared/decision-records';
import type { DecisionPayload } from '../shared/pause-contract';
import { claimContinuation } from './claim-continuation';
import type { ConfiguredStore } from './store-from-parameters';

/**
 * Continues the paused run a decision payload points at. Every check comes before the one-time
 * claim of the pause, so a refused decision changes nothing and can be corrected and sent again.
 */
export async function continueRun(
	context: IExecuteFunctions,
	itemIndex: number,
	storage: ConfiguredStore,
	secret: Buffer,
	spec: AgentSpec,
	payload: DecisionPayload,
): Promise<RunOutcome> {
	const fail = (message: string, description: string) => new NodeOperationError(context.getNode(), message, { itemIndex, description });
	const { reference, decisions } = payload;

	const token = verifyApprovalToken(secret, reference.token, Date.now());
	if (!token.ok) throw fail(`The pause reference's token is ${token.reason}`, 'Use the reference exactly as the Needs Approval output gave it, with the same storage configured.');
	const claims = token.claims;
	if (claims.runId !== reference.runId || claims.pauseId !== reference.pauseId || claims.snapshotHash !== reference.snapshotHash || claims.executionId !== reference.executionId) {
		throw fail('The pause reference does not match its token', 'Use the reference exactly as the Needs Approval output gave it.');
	}

	const location = runLocationOf(storage.prefix, reference);
	const key = snapshotKey(location, reference.pauseId);
	if (reference.snapshotKey !== key) throw fail('The pause reference points at an unexpected snapshot key', 'Use the reference exactly as the Needs Approval output gave it.');
	const body = await storage.store.get(key);
	if (body === undefined) {
		throw fail(`The snapshot of paused run ${reference.runId} is gone`, `Nothing is stored at ${storage.store.location}/${key}: it was deleted, or this node uses other storage than the node that paused.`);
	}
	const snapshot = readSnapshot(body, reference.snapshotHash);
	if (!snapshot.ok) throw fail(`The snapshot of paused run ${reference.runId} cannot be used`, snapshot.message);
	try {
		validateResume(spec, snapshot.snapshot, decisions);
	} catch (error) {
		if (error instanceof ResumeError) throw fail('The decisions cannot be applied', error.message);
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}

	await recordDecisionOnce(storage, payload, fail);
	const claim = await claimContinuation(storage.store, location, snapshot.snapshot, { executionId: context.getExecutionId(), nowMs: Date.now(), leaseMs: runLeaseFromEnvironment() ?? defaultRunLeaseMs });
	if (!claim.ok) throw fail(claim.message, claim.description);
	const store = createRunStore(storage.store, location);
	return await resumeAgent(spec, snapshot.snapshot, decisions, systemDeps(store, context.getExecutionCancelSignal()), claim.attempt);
}

/**
 * The Resume node records decisions when they are made; a decision that arrives another way
 * (Continue mode) is recorded here. Either way a pause has one decision, and a different one is refused.
 */
async function recordDecisionOnce(storage: ConfiguredStore, payload: DecisionPayload, fail: (message: string, description: string) => Error): Promise<void> {
	if (await writeDecisionRecord(storage.store, storage.prefix, payload)) return;
	const stored = await readDecisionRecord(storage.store, storage.prefix, payload.reference);
	if (JSON.stringify(stored?.decisions) !== JSON.stringify(payload.decisions)) {
		throw fail(`Paused run ${payload.reference.runId} was already decided differently`, 'A pause takes one decision; the first one recorded stands.');
	}
}
