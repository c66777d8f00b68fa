import type { AuthorizedWait } from './authorize';
import { checkDecisions, type RequestedDecision } from './check-decisions';
import { readDecisionRecords, writeDecisionRecord } from './decision-records';
import type { DecisionPayload } from './pause-contract';
import { checkSnapshots } from './pause-snapshot';
import { refusal, type Refusal } from './refusal';
import { claimResume, type WaitRecord } from './wait-record';

/**
 * What became of a request's decisions: refused (nothing written), recorded while other paused items
 * still wait (`waitingFor` of them), or the last ones, so the execution resumes with one decision per
 * paused item, in wait order. `alreadyDecided` names the items another request decided first.
 */
export type DecisionOutcome =
	| { status: 'refused'; refusal: Refusal }
	| { status: 'recorded'; waitingFor: number; alreadyDecided: string[] }
	| { status: 'resumed'; decisions: DecisionPayload[]; alreadyDecided: string[] };

/**
 * Records decisions and resumes the execution once every paused item has one. Everything that can
 * refuse the request is checked before the first write. Each item's decision is a write-once
 * object, so of two requests deciding the same item exactly one wins and the other is refused; and
 * only the request that wins the resume claim gets `resumed`.
 */
export async function recordDecisions(authorized: AuthorizedWait, requested: readonly RequestedDecision[], now: () => Date): Promise<DecisionOutcome> {
	const { storage, location, wait } = authorized;
	const recorded = await readDecisionRecords(storage, wait);
	if (isEveryItemDecided(recorded) && repeatsRecordedDecisions(wait, requested, recorded, authorized.tokenItem) && (await claimResume(storage, location, wait, now()))) {
		// The same request again, after it recorded the last decision but failed before it resumed the
		// execution (storage trouble): this time it finishes.
		return { status: 'resumed', decisions: recorded, alreadyDecided: [] };
	}
	const decidedItems = new Set(recorded.flatMap((record, index) => (record === undefined ? [] : [index])));
	const check = checkDecisions(wait, requested, decidedItems, authorized.tokenItem);
	if (!check.ok) return { status: 'refused', refusal: check.refusal };
	const itemIndexes = [...check.decisionsByItem.keys()].sort((left, right) => left - right);
	const snapshotProblem = await checkSnapshots(storage, itemIndexes.map((index) => wait.items[index].reference));
	if (snapshotProblem) return { status: 'refused', refusal: snapshotProblem };

	const decidedAt = now().toISOString();
	const alreadyDecided: string[] = [];
	let written = 0;
	for (const index of itemIndexes) {
		const payload: DecisionPayload = { reference: wait.items[index].reference, decisions: check.decisionsByItem.get(index) ?? [], decidedAt };
		if (await writeDecisionRecord(storage, payload)) written += 1;
		else alreadyDecided.push(`paused item ${index + 1} (run ${payload.reference.runId})`);
	}
	if (written === 0) {
		return { status: 'refused', refusal: refusal('already_decided', `Already decided by another request; nothing was changed: ${alreadyDecided.join(', ')}.`) };
	}

	const records = (await readDecisionRecords(storage, wait)).filter((record) => record !== undefined);
	const waitingFor = wait.items.length - records.length;
	if (waitingFor === 0 && (await claimResume(storage, location, wait, now()))) return { status: 'resumed', decisions: records, alreadyDecided };
	return { status: 'recorded', waitingFor, alreadyDecided };
}

/** Whether the request asks for exactly what is recorded for the items it decides. */
function repeatsRecordedDecisions(wait: WaitRecord, requested: readonly RequestedDecision[], recorded: readonly DecisionPayload[], tokenItem: number | undefined): boolean {
	const check = checkDecisions(wait, requested, new Set(), tokenItem);
	if (!check.ok) return false;
	return [...check.decisionsByItem].every(([index, decisions]) => JSON.stringify(decisions) === JSON.stringify(recorded[index].decisions));
}

function isEveryItemDecided(records: ReadonlyArray<DecisionPayload | undefined>): records is DecisionPayload[] {
	return records.every((record) => record !== undefined);
}
