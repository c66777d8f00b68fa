import type { ServerResponse } from 'node:http';

import type { INodeExecutionData, IWebhookResponseData } from 'n8n-workflow';

import { decisionField, readDecisionRecords, recordDecisions, type AuthorizedWait, type DecisionItemJson, type DecisionPayload } from '../../lib/resume';
import { renderApprovalPage } from './approval-page';
import { recordedPage, thanksPage } from './outcome-pages';
import { parseDecisionBody } from './request-body';
import type { ResumeDeps } from './resume-deps';
import { failureOf, securityHeaders, sendFailure, sendHtml, sendJson, type ResponseFormat, type WebhookFailure } from './responses';
import { readTimelines } from './timelines';

export type PostRequest = { contentType: string; body: unknown; response: ServerResponse; format: ResponseFormat };

/**
 * A POST to the waiting webhook: reads the decisions from the body, hands them to lib/resume (which
 * checks, records and claims) and answers. Only a request that completes the decisions returns
 * items to n8n; every other answer leaves the execution waiting.
 */
export async function postDecisions(authorized: AuthorizedWait, request: PostRequest, deps: ResumeDeps): Promise<IWebhookResponseData> {
	const recorded = await readDecisionRecords(authorized.storage, authorized.wait);
	const openCalls = authorized.wait.items.flatMap((item, itemIndex) =>
		recorded[itemIndex] !== undefined || (authorized.tokenItem !== undefined && authorized.tokenItem !== itemIndex) ? [] : item.pending.map((call) => ({ itemIndex, toolCallId: call.toolCallId, kind: call.kind })),
	);
	const parsed = parseDecisionBody(request.contentType, request.body, openCalls);
	if (!parsed.ok) {
		await refuse(authorized, request, parsed.failure, recorded);
		return { noWebhookResponse: true };
	}
	const outcome = await recordDecisions(authorized, parsed.requested, deps.now);
	if (outcome.status === 'resumed') return resume(outcome.decisions, request, outcome.alreadyDecided);
	if (outcome.status === 'refused') await refuse(authorized, request, failureOf(outcome.refusal), recorded);
	else if (request.format === 'html') sendHtml(request.response, 202, recordedPage(outcome.waitingFor, outcome.alreadyDecided));
	else sendJson(request.response, 202, { status: 'recorded', waitingFor: outcome.waitingFor, ...(outcome.alreadyDecided.length > 0 ? { alreadyDecided: outcome.alreadyDecided } : {}) });
	return { noWebhookResponse: true };
}

/**
 * A refused form post shows the approval page again, with the refusal on top and everything the
 * person entered still in the form; programs get the JSON error.
 */
async function refuse(authorized: AuthorizedWait, request: PostRequest, failure: WebhookFailure, recorded: ReadonlyArray<DecisionPayload | undefined>): Promise<void> {
	if (request.format !== 'html' || failure.status !== 400 || typeof request.body !== 'object' || request.body === null) {
		sendFailure(request.response, failure, request.format);
		return;
	}
	const timelines = await readTimelines(authorized);
	const page = renderApprovalPage(authorized.wait, recorded, authorized.token, authorized.tokenItem, { timelines, failure, values: request.body as Record<string, unknown> });
	sendHtml(request.response, 400, page);
}

/**
 * Hands n8n one decision item per paused item, in the order the node received them. n8n sends
 * `webhookResponse` (the node's `responseData` is empty) after it has taken the execution up again.
 */
function resume(records: DecisionPayload[], request: PostRequest, alreadyDecided: readonly string[]): IWebhookResponseData {
	const items: INodeExecutionData[] = records.map((payload, index) => {
		const json: DecisionItemJson = { [decisionField]: payload };
		return { json, pairedItem: { item: index } };
	});
	for (const [name, value] of Object.entries(securityHeaders)) request.response.setHeader(name, value);
	if (request.format === 'html') {
		request.response.setHeader('Content-Type', 'text/html; charset=utf-8');
		return { workflowData: [items], webhookResponse: thanksPage() };
	}
	return { workflowData: [items], webhookResponse: { status: 'resumed', items: items.length, ...(alreadyDecided.length > 0 ? { alreadyDecided } : {}) } };
}
