import { defaultRunLeaseMs, resumeAgent, ResumeError, runLeaseFromEnvironment, systemDeps, validateResume, type AgentSpec, type EngineDeps, type RunOutcome } from '../engine';
import { createRunStore } from '../storage';
import { verifyApprovalToken } from './approval-token';
import { budgetDecisionProblem } from './check-decisions';
import { claimContinuation } from './continuation-claim';
import { readDecisionRecord, runLocationOf, writeDecisionRecord } from './decision-records';
import { waitingExecutionOf, type DecisionPayload } from './pause-contract';
import { readPauseSnapshot } from './pause-snapshot';
import type { ResumeStorage } from './resume-storage';

/** A decision to apply, and who applies it: the agent node's execution, its store and secret, and the agent as configured now. */
export type ContinuationRequest = {
	storage: ResumeStorage;
	secret: Buffer;
	spec: AgentSpec;
	payload: DecisionPayload;
	executionId: string;
	/** n8n's cancel signal for the execution. */
	signal?: AbortSignal;
	/** Tests only: the clock, lease and fault points of the continuing process, over the system's. */
	engine?: Partial<Pick<EngineDeps, 'now' | 'runLeaseMs' | 'faults'>>;
};

/** The continued run's outcome, or why the decision was not applied (nothing ran then): a message and what to do. */
export type Continuation = { ok: true; outcome: RunOutcome } | { ok: false; message: string; description: string };

/**
 * Continues the paused run a decision payload points at. Every check comes before the one-time
 * claim of the pause, so a refused decision changes nothing and can be corrected and sent again.
 */
export async function continuePausedRun({ storage, secret, spec, payload, executionId, signal, engine = {} }: ContinuationRequest): Promise<Continuation> {
	const { reference, decisions } = payload;
	const sameReference = 'Use the reference exactly as the Needs Approval output gave it.';

	const token = verifyApprovalToken(secret, reference.token, Date.now());
	if (!token.ok) return refused(`The pause reference's token is ${token.reason}`, 'Use the reference exactly as the Needs Approval output gave it, with the same storage configured.');
	const claims = token.claims;
	if (claims.runId !== reference.runId || claims.pauseId !== reference.pauseId || claims.snapshotHash !== reference.snapshotHash || claims.executionId !== waitingExecutionOf(reference).executionId) {
		return refused('The pause reference does not match its token', sameReference);
	}

	const read = await readPauseSnapshot(storage, reference);
	if (!read.ok) {
		const gone = read.refusal.code === 'snapshot_gone';
		return refused(gone ? `The snapshot of paused run ${reference.runId} is gone` : `The snapshot of paused run ${reference.runId} cannot be used`, read.refusal.message);
	}
	const { snapshot } = read;
	const budgetProblems = decisions.flatMap((decision) => {
		const problem = snapshot.pending.some((call) => call.kind === 'budget' && call.toolCallId === decision.toolCallId) ? budgetDecisionProblem(decision) : undefined;
		return problem === undefined ? [] : [`Call '${decision.toolCallId}' ${problem}`];
	});
	if (budgetProblems.length > 0) return refused('The decisions cannot be applied', budgetProblems.join(' '));
	try {
		validateResume(spec, snapshot, decisions);
	} catch (error) {
		if (error instanceof ResumeError) return refused('The decisions cannot be applied', error.message);
		throw error;
	}

	if (!(await recordDecisionOnce(storage, payload))) {
		return refused(`Paused run ${reference.runId} was already decided differently`, 'A pause takes one decision; the first one recorded stands.');
	}
	await engine.faults?.reached('after-decision-recorded', { pauseId: reference.pauseId });
	const location = runLocationOf(storage.prefix, reference);
	const deps = { ...systemDeps(createRunStore(storage.store, location), signal), ...engine };
	const claim = await claimContinuation(storage.store, location, snapshot, { executionId, nowMs: deps.now(), leaseMs: deps.runLeaseMs ?? runLeaseFromEnvironment() ?? defaultRunLeaseMs });
	if (!claim.ok) return refused(claim.message, claim.description);
	const outcome = await resumeAgent(spec, snapshot, decisions, deps, claim.attempt);
	return { ok: true, outcome };
}

/**
 * The Resume node records decisions when they are made; a decision that arrives another way
 * (Continue mode) is recorded here. Either way a pause has one decision: `false` when a different one stands.
 */
async function recordDecisionOnce(storage: ResumeStorage, payload: DecisionPayload): Promise<boolean> {
	if (await writeDecisionRecord(storage, payload)) return true;
	const stored = await readDecisionRecord(storage, payload.reference);
	return JSON.stringify(stored?.decisions) === JSON.stringify(payload.decisions);
}

function refused(message: string, description: string): Continuation {
	return { ok: false, message, description };
}
