import type { ServerResponse } from 'node:http';

import type { INodeExecutionData, IWebhookResponseData } from 'n8n-workflow';

import { decisionField, readDecisionRecords, recordDecisions, watchAfterDecision, type AuthorizedWait, type DecisionItemJson, type DecisionPayload, type WaitRecord } from '../../lib/resume';
import { approvalPageBody, renderApprovalPage } from './approval-page';
import { html, type SafeHtml } from './html';
import { afterDecisionSection, recordedPage, thanksNotice } from './outcome-pages';
import { htmlDocumentParts, pageHeaders } from './page-shell';
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
	if (outcome.status === 'resumed') return resume(authorized, outcome.decisions, request, outcome.alreadyDecided, deps);
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
 * Hands n8n one decision item per paused item, in the order the node received them. Programs get
 * `{ status: 'resumed' }`, which n8n sends (the node's `responseData` is empty) once it has taken the
 * execution up again. People get a page this node writes itself (`noWebhookResponse` with
 * `workflowData`: n8n resumes and leaves the response alone): the thanks at once, then, while the
 * connection stays open, whether the run paused again — with the new pause's form — or ended.
 */
function resume(authorized: AuthorizedWait, records: DecisionPayload[], request: PostRequest, alreadyDecided: readonly string[], deps: ResumeDeps): IWebhookResponseData {
	const items: INodeExecutionData[] = records.map((payload, index) => {
		const json: DecisionItemJson = { [decisionField]: payload };
		return { json, pairedItem: { item: index } };
	});
	if (request.format === 'html') {
		const document = htmlDocumentParts('Thanks: the agent continues');
		request.response.writeHead(200, pageHeaders);
		request.response.write(document.start + thanksNotice(deps.afterDecisionWatch.timeoutMs).text);
		void reportAfterDecision(authorized, request.response, deps).finally(() => request.response.end(document.end));
		return { workflowData: [items], noWebhookResponse: true };
	}
	for (const [name, value] of Object.entries(securityHeaders)) request.response.setHeader(name, value);
	return { workflowData: [items], webhookResponse: { status: 'resumed', items: items.length, ...(alreadyDecided.length > 0 ? { alreadyDecided } : {}) } };
}

/** Watches for the run's next pause or end and writes what it found; storage trouble ends the page with a note. */
async function reportAfterDecision(authorized: AuthorizedWait, response: ServerResponse, deps: ResumeDeps): Promise<void> {
	try {
		const after = await watchAfterDecision(authorized.storage, authorized.location, authorized.wait, { ...deps.afterDecisionWatch, now: deps.now, sleep: deps.sleep });
		response.write(afterDecisionSection(after, after.status === 'paused-again' ? await newPauseForm(authorized, after.wait) : undefined).text);
	} catch (error) {
		response.write(html`<p class="note">Whether the agent needs you again could not be read from storage (${error instanceof Error ? error.message : String(error)}). Open this link again in a minute to see.</p>`.text);
	}
}

/**
 * The new pause's form, for a request that n8n's signature alone authorized: that URL decides every
 * wait of the execution. A pause token authorized only the pause it was issued for.
 */
async function newPauseForm(authorized: AuthorizedWait, wait: WaitRecord): Promise<SafeHtml | undefined> {
	if (authorized.token !== undefined) return undefined;
	const next: AuthorizedWait = { storage: authorized.storage, location: authorized.location, wait };
	return approvalPageBody(wait, await readDecisionRecords(next.storage, wait), undefined, undefined, { timelines: await readTimelines(next) });
}
