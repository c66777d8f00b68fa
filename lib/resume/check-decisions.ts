import { compileJsonSchema } from '../engine';
import type { Decision } from '../engine/pause/decisions';
import type { PendingCallView } from './pause-contract';
import { refusal, type Refusal } from './refusal';
import type { WaitRecord } from './wait-record';

/**
 * A decision and, when the request says so, the paused item (index in the wait) it is meant for.
 * The approval page names every field after its item, because tool call ids are only unique within one run.
 */
export type RequestedDecision = { decision: Decision; itemIndex?: number };

/** Decisions sorted by the paused item they decide (index into the wait's items), in pending-call order. */
export type DecisionsByItem = Map<number, Decision[]>;

export type DecisionCheck = { ok: true; decisionsByItem: DecisionsByItem } | { ok: false; refusal: Refusal };

type CallSite = { itemIndex: number; call: PendingCallView };
type Resolved = { decision: Decision; site: CallSite };

/**
 * Checks decisions against what the wait is waiting for, without touching storage: every id is a
 * pending call, each call is decided at most once and in a way that fits its kind, edited arguments
 * match the tool's input schema, a paused item is decided whole or not at all, and no item is
 * decided twice. Pure, so every refusal happens before anything is written.
 *
 * `tokenItem` is the paused item the caller's own token was issued for: such a request decides that
 * item only, and a decision on any other is refused, naming the token to use. Without one (n8n's
 * signature alone, the same for every item) any item may be decided.
 *
 * Tool call ids are unique within a run, not across runs; an id pending in several paused items
 * means the item of the caller's token, unless the request names the item (the page's form does).
 * Without a token of the caller's own, such an id is ambiguous and refused.
 */
export function checkDecisions(wait: WaitRecord, requested: readonly RequestedDecision[], decidedItems: ReadonlySet<number>, tokenItem: number | undefined): DecisionCheck {
	const resolved: Resolved[] = [];
	const unknown: string[] = [];
	const otherItems: CallSite[] = [];
	const ambiguous: string[] = [];
	for (const { decision, itemIndex } of requested) {
		const candidates = wait.items.flatMap((item, index) =>
			(itemIndex === undefined || itemIndex === index ? item.pending : []).filter((call) => call.toolCallId === decision.toolCallId).map((call) => ({ itemIndex: index, call })),
		);
		const site = tokenItem === undefined && candidates.length === 1 ? candidates[0] : candidates.find((candidate) => candidate.itemIndex === tokenItem);
		if (site !== undefined) resolved.push({ decision, site });
		else if (candidates.length === 0) unknown.push(decision.toolCallId);
		else if (tokenItem !== undefined) otherItems.push(candidates[0]);
		else ambiguous.push(decision.toolCallId);
	}
	if (unknown.length > 0) {
		const pending = wait.items.flatMap((item) => item.pending.map((call) => call.toolCallId));
		return refuse('unknown_tool_call', `No pending call has the id ${unknown.join(', ')}. The calls waiting for a decision are: ${pending.join(', ')}.`);
	}
	if (tokenItem !== undefined && otherItems.length > 0) {
		return refuse('token_for_other_item',
			`This approval token decides ${describeItem(wait, tokenItem)} only; nothing was changed. Decide each other item with its own token (its approval link, or its reference.token sent as "token").`,
			otherItems.map(({ itemIndex, call }) => `${describeCall(call)} belongs to ${describeItem(wait, itemIndex)}: send that item's reference.token.`),
		);
	}
	if (ambiguous.length > 0) {
		return refuse('ambiguous_tool_call', `Several paused items have a pending call with the id ${ambiguous.join(', ')}: send the item's reference.token as "token" with its decisions (every item's link is the same URL).`);
	}

	const seen = new Set<string>();
	const duplicates = resolved.filter(({ site }) => {
		const key = `${site.itemIndex}:${site.call.toolCallId}`;
		if (seen.has(key)) return true;
		seen.add(key);
		return false;
	});
	if (duplicates.length > 0) {
		return refuse('duplicate_decision', `Each call can be decided once per request; sent twice: ${[...new Set(duplicates.map(({ site }) => site.call.toolCallId))].join(', ')}.`);
	}

	const problems = resolved.flatMap(({ decision, site }) => problemsOf(decision, site.call));
	if (problems.length > 0) return refuse('invalid_decision', 'Some decisions do not fit the calls they decide.', problems);

	const decisionsByItem: DecisionsByItem = new Map();
	for (const { decision, site } of resolved) decisionsByItem.set(site.itemIndex, [...(decisionsByItem.get(site.itemIndex) ?? []), decision]);

	const incomplete = [...decisionsByItem].flatMap(([itemIndex, itemDecisions]) => {
		const decided = new Set(itemDecisions.map((decision) => decision.toolCallId));
		const missing = wait.items[itemIndex].pending.filter((call) => !decided.has(call.toolCallId));
		return missing.length === 0 ? [] : [`Paused item ${itemIndex + 1} (run ${wait.items[itemIndex].reference.runId}) also needs a decision on ${missing.map(describeCall).join(', ')}.`];
	});
	if (incomplete.length > 0) return refuse('incomplete_item', 'A paused item must get a decision for every one of its pending calls.', incomplete);

	const repeated = [...decisionsByItem.keys()].filter((itemIndex) => decidedItems.has(itemIndex));
	if (repeated.length > 0) {
		return refuse('already_decided', `Already decided; nothing was changed: ${repeated.map((itemIndex) => `paused item ${itemIndex + 1} (run ${wait.items[itemIndex].reference.runId})`).join(', ')}.`);
	}

	for (const [itemIndex, itemDecisions] of decisionsByItem) {
		const order = wait.items[itemIndex].pending.map((call) => call.toolCallId);
		itemDecisions.sort((left, right) => order.indexOf(left.toolCallId) - order.indexOf(right.toolCallId));
	}
	return { ok: true, decisionsByItem };
}

function problemsOf(decision: Decision, call: PendingCallView): string[] {
	if (call.kind === 'question' && decision.decision !== 'answer') {
		return [`${describeCall(call)} is a question: answer it ("decision": "answer", "answer": "…").`];
	}
	if (call.kind === 'budget') {
		const problem = budgetDecisionProblem(decision);
		return problem === undefined ? [] : [`${describeCall(call)} ${problem}`];
	}
	if (call.kind === 'approval' && decision.decision === 'answer') {
		return [`${describeCall(call)} needs approval: approve or reject it; "answer" is only for questions.`];
	}
	if (decision.decision !== 'approve' || decision.arguments === undefined) return [];
	const schema = compileJsonSchema(call.inputSchema, {
		subject: `The input schema of the tool ${call.toolName}`,
		fixHint: 'Approve the call without editing its arguments, or reject it.',
	});
	if (!schema.ok) return [schema.message];
	const result = schema.validate(decision.arguments);
	return result.valid ? [] : result.errors.map((error) => `${describeCall(call)}: edited arguments ${error}`);
}

/**
 * A budget entry is not a tool call: it is approved as it is (the run may spend as much again) or
 * rejected (the run ends with its budget code). Why a decision does not fit one; undefined when it does.
 */
export function budgetDecisionProblem(decision: Decision): string | undefined {
	if (decision.decision === 'answer') return 'is the run\'s budget: approve it (the run may spend as much again) or reject it (the run ends); "answer" is only for questions.';
	if (decision.decision === 'approve' && decision.arguments !== undefined) return 'is the run\'s budget, not a tool call: approve it without arguments, or reject it.';
	return undefined;
}

function describeItem(wait: WaitRecord, itemIndex: number): string {
	return `paused item ${itemIndex + 1} (run ${wait.items[itemIndex].reference.runId})`;
}

function describeCall(call: PendingCallView): string {
	return `${call.toolName} (${call.toolCallId})`;
}

function refuse(...args: Parameters<typeof refusal>): DecisionCheck {
	return { ok: false, refusal: refusal(...args) };
}
