import type { Conversation } from '../../support/llm-server/recorded-request';
import type { Step } from '../../support/llm-server/script';
import type { RecordedCall } from './recording-server';
import { getApprovalPage, postDecisions, ticketCall, type HttpAnswer } from './support-workflow';

/**
 * Many support requests in flight at once, each told apart by a case id in its text
 * (`[burst-07] …`). The model's replies, the ticket the gated tool opens and the tool call id all
 * carry that id, so a test can tell which execution did what, whichever worker ran it.
 */

/** The request a customer sends for one case. */
export function caseRequest(caseId: string): { request: string } {
	return { request: `[${caseId}] The printer in room ${caseId} is jammed` };
}

/** The one Create_Ticket call the model makes for a case; its id doubles as the idempotency marker. */
export function ticketCallId(caseId: string): string {
	return `call_${caseId.replace(/-/g, '_')}`;
}

export function caseIdIn(text: string): string | undefined {
	return /\[([a-z]+-\d+)\]/.exec(text)?.[1];
}

/** The case a ticket-system call was made for (the ticket title carries the case id). */
export function caseIdOfCall(call: RecordedCall): string | undefined {
	return caseIdIn(String((call.body as { title?: unknown } | undefined)?.title ?? ''));
}

export function ticketCallsOf(calls: readonly RecordedCall[], caseId: string): RecordedCall[] {
	return calls.filter((call) => caseIdOfCall(call) === caseId);
}

/**
 * The support model: a case's first turn opens a ticket (which the workflow gates), or for a
 * `direct-…` case answers at once; the turn after the decision reports what the tool said.
 */
export function supportCaseModel(conversation: Conversation): Step | undefined {
	const caseId = caseIdIn(conversation.messages[0]?.text ?? '');
	const last = conversation.messages.at(-1);
	if (caseId === undefined || last?.role !== 'user') return undefined;
	if (last.toolResults.length === 0) {
		if (caseId.startsWith('direct-')) return { kind: 'reply', text: `[${caseId}] Please restart the printer.` };
		return ticketCall(ticketCallId(caseId), `[${caseId}] Printer jammed`);
	}
	const [result] = last.toolResults;
	return { kind: 'reply', text: `[${caseId}] ${/\bT-\d+/.test(result.output) ? 'Ticket opened' : 'No ticket'}: ${result.output.slice(0, 120)}` };
}

/** How a decision reaches n8n: the JSON API or the approval page's form, through the webhook process or main. */
export type DecisionChannel = 'json via webhook process' | 'json via main' | 'form via webhook process';

/** The approval URL on another n8n host (main serves the same `/webhook-waiting/…` routes). */
export function onHost(approvalUrl: string, baseUrl: string): string {
	const url = new URL(approvalUrl);
	return new URL(`${url.pathname}${url.search}`, baseUrl).toString();
}

/**
 * Approves or rejects a case's one pending call. The form path opens the page first and posts what
 * its form holds (the radio choice, and the hidden token when the page has one), as a browser does.
 */
export async function decide(
	channel: DecisionChannel,
	target: { approvalUrl: string; token: string; caseId: string; mainUrl: string },
	decision: 'approve' | 'reject',
): Promise<HttpAnswer> {
	const toolCallId = ticketCallId(target.caseId);
	const reason = decision === 'reject' ? { reason: 'Not a printer we own' } : {};
	if (channel === 'json via main') return await postDecisions(onHost(target.approvalUrl, target.mainUrl), { token: target.token, decisions: [{ toolCallId, decision, ...reason }] });
	if (channel === 'json via webhook process') return await postDecisions(target.approvalUrl, { token: target.token, decisions: [{ toolCallId, decision, ...reason }] });
	const page = await getApprovalPage(target.approvalUrl);
	// A page opened with n8n's signature alone carries no pause token: the signature decides the wait's items.
	const token = /name="token" value="([^"]+)"/.exec(page.text)?.[1];
	const choice = /name="(decision:\d+:[^"]+)"/.exec(page.text)?.[1];
	if (page.status !== 200 || choice === undefined) throw new Error(`The approval page of ${target.caseId} has no decision form (HTTP ${page.status}).`);
	const form = new URLSearchParams({ [choice]: decision, ...(token === undefined ? {} : { token }) });
	if (decision === 'reject') form.set(choice.replace(/^decision:/, 'reason:'), 'Not a printer we own');
	const response = await fetch(target.approvalUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: form });
	const text = await response.text();
	return { status: response.status, text, json: () => JSON.parse(text) as unknown };
}
