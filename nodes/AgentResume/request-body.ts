import { z } from 'zod/v4';

import { decisionRequestSchema, decisionSchema } from '../../lib/engine/pause/decisions';
import type { RequestedDecision } from '../../lib/resume';
import type { WebhookFailure } from './responses';

/**
 * Turns a POST body, as n8n parsed it (JSON → object, `application/x-www-form-urlencoded` → a
 * `querystring` object), into decisions. Only the shape is checked here; whether the decisions fit
 * the waiting calls is validate-decisions.ts's job.
 */

export type BodyParse = { ok: true; requested: RequestedDecision[] } | { ok: false; failure: WebhookFailure };

/** `click`: a call's one-click Approve / Reject button, which overrides its radio choice. */
type FieldKind = 'decision' | 'click' | 'reason' | 'arguments' | 'answer';

/**
 * Form field names of the approval page: `<kind>:<item index>:<tool call id>`; `all` is the
 * "Approve all" / "Reject all" button (with `allReason`), which decides every open call that has no
 * choice of its own.
 */
export const formField = {
	token: 'token',
	all: 'all',
	allReason: 'allReason',
	of: (kind: FieldKind, itemIndex: number, toolCallId: string) => `${kind}:${itemIndex}:${toolCallId}`,
};

/** A call the page offered for a decision: "Approve all" / "Reject all" applies to these (questions excepted). */
export type OpenCall = { itemIndex: number; toolCallId: string; kind: 'approval' | 'question' | 'budget' };

/** The token sent in the body (JSON `token` or the form's hidden field), else the URL's `token` parameter. */
export function tokenOf(query: unknown, body: unknown): string | undefined {
	const fromBody = isRecord(body) ? body[formField.token] : undefined;
	if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
	const fromQuery = isRecord(query) ? query.token : undefined;
	return typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : undefined;
}

export function parseDecisionBody(contentType: string, body: unknown, openCalls: readonly OpenCall[] = []): BodyParse {
	if (contentType.startsWith('application/json')) return parseJsonBody(body);
	if (contentType.startsWith('application/x-www-form-urlencoded')) return parseFormBody(body, openCalls);
	return invalid(415, 'unsupported_media_type', 'Send the decisions as application/json ({ "decisions": [ … ] }) or post the approval page\'s form.');
}

function parseJsonBody(body: unknown): BodyParse {
	const parsed = decisionRequestSchema.safeParse(body);
	if (!parsed.success) {
		return invalid(400, 'invalid_body', 'The body is not a valid decision request: { "decisions": [ { "toolCallId", "decision": "approve" | "reject" | "answer", … } ] }.', z.prettifyError(parsed.error).split('\n'));
	}
	return { ok: true, requested: parsed.data.decisions.map((decision) => ({ decision })) };
}

function parseFormBody(body: unknown, openCalls: readonly OpenCall[]): BodyParse {
	if (!isRecord(body)) return invalid(400, 'invalid_body', 'The form could not be read.');
	const choices = new Map<string, { itemIndex: number; toolCallId: string; choice: string; clicked: boolean }>();
	const requested: Array<{ candidate: unknown; itemIndex: number }> = [];
	const problems: string[] = [];
	for (const [name, value] of Object.entries(body)) {
		const field = /^(decision|click|reason|arguments|answer):(\d+):(.+)$/s.exec(name);
		if (field === null) continue;
		const [, kind, index, toolCallId] = field;
		const itemIndex = Number(index);
		const key = `${itemIndex}:${toolCallId}`;
		if (typeof value !== 'string') problems.push(`The field ${name} was sent more than once.`);
		else if (kind === 'click' || (kind === 'decision' && !choices.get(key)?.clicked)) choices.set(key, { itemIndex, toolCallId, choice: value, clicked: kind === 'click' });
		else if (kind === 'answer' && value.trim() !== '') requested.push({ candidate: { toolCallId, decision: 'answer', answer: value }, itemIndex });
	}
	const all = body[formField.all];
	if (all === 'approve' || all === 'reject') {
		const reason = body[formField.allReason];
		for (const call of openCalls) {
			const key = `${call.itemIndex}:${call.toolCallId}`;
			if (call.kind === 'question' || choices.has(key)) continue;
			choices.set(key, { itemIndex: call.itemIndex, toolCallId: call.toolCallId, choice: all, clicked: false });
			const ownReason = body[formField.of('reason', call.itemIndex, call.toolCallId)];
			if (all === 'reject' && typeof reason === 'string' && (typeof ownReason !== 'string' || ownReason.trim() === '')) body[formField.of('reason', call.itemIndex, call.toolCallId)] = reason;
		}
	}
	for (const { itemIndex, toolCallId, choice } of choices.values()) requested.push({ candidate: decisionFromChoice(body, itemIndex, toolCallId, choice, problems), itemIndex });
	if (problems.length > 0) return invalid(400, 'invalid_form', 'Some of the form fields are not valid.', problems);
	const chosen = requested.filter(({ candidate }) => candidate !== undefined);
	if (chosen.length === 0) return invalid(400, 'no_decisions', 'Choose approve, edit or reject (or write an answer) for the calls you want to decide.');
	const decisions: RequestedDecision[] = [];
	for (const { candidate, itemIndex } of chosen) {
		const parsed = decisionSchema.safeParse(candidate);
		if (parsed.success) decisions.push({ decision: parsed.data, itemIndex });
		else problems.push(`Call ${String((candidate as { toolCallId: unknown }).toolCallId)}: ${z.prettifyError(parsed.error)}`);
	}
	if (problems.length > 0) return invalid(400, 'invalid_form', 'Some of the decisions are not valid.', problems);
	return { ok: true, requested: decisions };
}

function decisionFromChoice(body: Record<string, unknown>, itemIndex: number, toolCallId: string, choice: string, problems: string[]): unknown {
	switch (choice) {
		case 'approve':
			return { toolCallId, decision: 'approve' };
		case 'reject': {
			const reason = body[formField.of('reason', itemIndex, toolCallId)];
			const text = typeof reason === 'string' ? reason.trim() : '';
			return text === '' ? { toolCallId, decision: 'reject' } : { toolCallId, decision: 'reject', reason: text };
		}
		case 'edit':
			return editedApproval(toolCallId, body[formField.of('arguments', itemIndex, toolCallId)], problems);
		default:
			problems.push(`Call ${toolCallId}: choose approve, edit or reject (got ${JSON.stringify(choice)}).`);
			return undefined;
	}
}

function editedApproval(toolCallId: string, text: unknown, problems: string[]): unknown {
	if (typeof text !== 'string') {
		problems.push(`Call ${toolCallId}: "edit" needs the edited arguments, but none were sent.`);
		return undefined;
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		problems.push(`Call ${toolCallId}: the edited arguments are not valid JSON (${(error as Error).message}).`);
		return undefined;
	}
	if (!isRecord(value) || Array.isArray(value)) {
		problems.push(`Call ${toolCallId}: the edited arguments must be a JSON object such as {"key": "value"}.`);
		return undefined;
	}
	return { toolCallId, decision: 'approve', arguments: value };
}

function invalid(status: number, code: string, message: string, details?: string[]): BodyParse {
	return { ok: false, failure: { status, code, message, ...(details ? { details } : {}) } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
