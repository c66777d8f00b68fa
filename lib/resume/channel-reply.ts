import { z } from 'zod/v4';

import type { Decision } from '../engine/pause/decisions';
import type { DecisionPayload, PausedItemJson, PendingCallView } from './pause-contract';

/**
 * A reply from one of n8n's send-and-wait nodes (Slack, Telegram, Gmail, Outlook, Teams, Discord,
 * WhatsApp, Google Chat, Send Email, n8n Chat, n8n Form), as the node outputs it (n8n 2.41):
 * - Approval: `{ data: { approved, respondedAt } }` (the link or button the person chose);
 * - Free Text: `{ data: { text, respondedAt } }`;
 * - Custom Form: `{ data: { <field label>: value, …, respondedAt } }`.
 * The reply carries nothing of the paused items it answers: the agent ties it to them through n8n's
 * item pairing (nodes/AgentNode/channel-replies). This module only turns a reply into decisions.
 */
export const channelReplySchema = z.object({ data: z.record(z.string(), z.unknown()) });

export type ChannelReply = z.infer<typeof channelReplySchema>;

/** Whether an input item looks like a send-and-wait reply (and is nothing this package emitted itself). */
export function isChannelReply(json: unknown): json is ChannelReply {
	const parsed = channelReplySchema.safeParse(json);
	return parsed.success && typeof parsed.data.data.respondedAt === 'string';
}

/** The field labels a Custom Form reply may carry (case and spaces do not matter); `<label> <tool call id>` decides one call. */
export const formLabels = { decision: 'decision', reason: 'reason', answer: 'answer', arguments: 'arguments' } as const;

export type ReplyDecisions = { ok: true; payloads: DecisionPayload[] } | { ok: false; message: string };

const approveWords = new Set(['approve', 'approved', 'yes', 'true', 'ok', 'accept']);
const rejectWords = new Set(['reject', 'rejected', 'disapprove', 'disapproved', 'no', 'false', 'deny', 'decline']);

/**
 * The decisions a reply makes on every paused item it answers, one payload per item, or why it
 * makes none. A reply decides whole items or nothing: an Approval reply cannot answer a question and
 * a Free Text reply cannot approve a call, so such a reply is refused with what would decide it.
 */
export function decisionsFromReply(reply: ChannelReply, items: readonly PausedItemJson[], now: Date): ReplyDecisions {
	const decidedAt = typeof reply.data.respondedAt === 'string' ? reply.data.respondedAt : now.toISOString();
	const decide = decideWith(reply.data);
	const problems: string[] = [];
	const payloads = items.map((item) => {
		const decisions = item.pending.flatMap((call) => {
			const decided = decide(call);
			if (typeof decided === 'string') {
				problems.push(decided);
				return [];
			}
			return [decided];
		});
		return { reference: item.reference, decisions, decidedAt };
	});
	if (problems.length > 0) return { ok: false, message: [...new Set(problems)].join(' ') };
	return { ok: true, payloads };
}

/** How one pending call is decided by this reply: a decision, or what is missing. */
function decideWith(data: Record<string, unknown>): (call: PendingCallView) => Decision | string {
	if (typeof data.approved === 'boolean') {
		const approved = data.approved;
		return (call) => {
			if (call.kind === 'question') return `The agent asks a question (${describe(call)}): an Approve / Disapprove reply cannot answer it. Use a send-and-wait node with Response Type "Free Text", or the approval page.`;
			return approved ? { toolCallId: call.toolCallId, decision: 'approve' } : { toolCallId: call.toolCallId, decision: 'reject', reason: 'Disapproved by the person asked' };
		};
	}
	if (typeof data.text === 'string' && Object.keys(data).every((key) => key === 'text' || key === 'respondedAt')) {
		const text = data.text.trim();
		return (call) => {
			if (call.kind !== 'question') return `${describe(call)} needs approval: a Free Text reply only answers questions. Use Response Type "Approval" (or a Custom Form with a Decision field) for calls, or the approval page.`;
			if (text === '') return `The answer to ${describe(call)} is empty: reply with some text.`;
			return { toolCallId: call.toolCallId, decision: 'answer', answer: text };
		};
	}
	const fields = new Map(Object.entries(data).map(([label, value]) => [label.trim().toLowerCase().replace(/\s+/g, ' '), value]));
	const field = (kind: keyof typeof formLabels, call: PendingCallView): string | undefined => {
		const value = fields.get(`${formLabels[kind]} ${call.toolCallId.toLowerCase()}`) ?? fields.get(formLabels[kind]);
		if (value === undefined || value === null) return undefined;
		const text = (Array.isArray(value) ? value.join(' ') : String(value)).trim();
		return text === '' ? undefined : text;
	};
	return (call) => {
		if (call.kind === 'question') {
			const answer = field('answer', call);
			return answer === undefined ? `The form has no "Answer" field (or "Answer ${call.toolCallId}") for ${describe(call)}.` : { toolCallId: call.toolCallId, decision: 'answer', answer };
		}
		const choice = field('decision', call)?.toLowerCase();
		const reason = field('reason', call);
		if (choice !== undefined && rejectWords.has(choice)) return { toolCallId: call.toolCallId, decision: 'reject', ...(reason === undefined ? {} : { reason }) };
		if (choice === undefined || !approveWords.has(choice)) {
			return `The form has no "Decision" field (or "Decision ${call.toolCallId}") saying Approve or Reject for ${describe(call)}${choice === undefined ? '' : ` (it says "${choice}")`}.`;
		}
		const edited = field('arguments', call);
		if (edited === undefined || call.kind === 'budget') return { toolCallId: call.toolCallId, decision: 'approve' };
		const parsed = parseObject(edited);
		return parsed === undefined ? `The "Arguments ${call.toolCallId}" field is not a JSON object.` : { toolCallId: call.toolCallId, decision: 'approve', arguments: parsed };
	};
}

function parseObject(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function describe(call: PendingCallView): string {
	return `${call.toolName} (${call.toolCallId})`;
}
