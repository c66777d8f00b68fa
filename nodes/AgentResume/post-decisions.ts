import type { ServerResponse } from 'node:http';

import type { INodeExecutionData, IWebhookResponseData } from 'n8n-workflow';

import { decisionField, type DecisionItemJson, type DecisionPayload, type WaitRecord } from '../shared/pause-contract';
import type { AuthorizedWait } from './authorize';
import { recordedPage, thanksPage } from './outcome-pages';
import { parseDecisionBody, type RequestedDecision } from './request-body';
import type { ResumeDeps } from './resume-deps';
import { securityHeaders, sendFailure, sendHtml, sendJson, type ResponseFormat, type WebhookFailure } from './responses';
import { checkDecisions } from './validate-decisions';
import { checkSnapshots, claimResume } from './wait-store';
import { readDecisionRecords, writeDecisionRecord } from '../shared/decision-records';

export type PostRequest = { contentType: string; body: unknown; response: ServerResponse; format: ResponseFormat };

/**
 * Records decisions and resumes the execution once every paused item has one. Everything that can
 * refuse the request is checked before the first write. Each item's decision is a write-once
 * object, so of two requests deciding the same item exactly one wins and the other gets 409; and
 * only the request that wins the resume claim hands the decision items to n8n.
 */
export async function postDecisions(authorized: AuthorizedWait, request: PostRequest, deps: ResumeDeps): Promise<IWebhookResponseData> {
	const { store, prefix, location, wait } = authorized;
	const refuse = (failure: WebhookFailure): IWebhookResponseData => {
		sendFailure(request.response, failure, request.format);
		return { noWebhookResponse: true };
	};

	const parsed = parseDecisionBody(request.contentType, request.body);
	if (!parsed.ok) return refuse(parsed.failure);
	const recorded = await readDecisionRecords(store, prefix, wait);
	if (isEveryItemDecided(recorded) && repeatsRecordedDecisions(wait, parsed.requested, recorded, authorized.tokenItem) && (await claimResume(store, location, wait, deps.now()))) {
		// The same request again, after it recorded the last decision but failed before it resumed the
		// execution (storage trouble): this time it finishes.
		return resume(recorded, request, []);
	}
	const decidedItems = new Set(recorded.flatMap((record, index) => (record === undefined ? [] : [index])));
	const check = checkDecisions(wait, parsed.requested, decidedItems, authorized.tokenItem);
	if (!check.ok) return refuse(check.failure);
	const itemIndexes = [...check.decisionsByItem.keys()].sort((left, right) => left - right);
	const snapshotProblem = await checkSnapshots(store, prefix, itemIndexes.map((index) => wait.items[index].reference));
	if (snapshotProblem) return refuse(snapshotProblem);

	const decidedAt = deps.now().toISOString();
	const alreadyDecided: string[] = [];
	let written = 0;
	for (const index of itemIndexes) {
		const payload: DecisionPayload = { reference: wait.items[index].reference, decisions: check.decisionsByItem.get(index) ?? [], decidedAt };
		if (await writeDecisionRecord(store, prefix, payload)) written += 1;
		else alreadyDecided.push(`paused item ${index + 1} (run ${payload.reference.runId})`);
	}
	if (written === 0) {
		return refuse({ status: 409, code: 'already_decided', message: `Already decided by another request; nothing was changed: ${alreadyDecided.join(', ')}.` });
	}

	const records = (await readDecisionRecords(store, prefix, wait)).filter((record) => record !== undefined);
	const waitingFor = wait.items.length - records.length;
	if (waitingFor === 0 && (await claimResume(store, location, wait, deps.now()))) {
		return resume(records, request, alreadyDecided);
	}
	if (request.format === 'html') sendHtml(request.response, 202, recordedPage(waitingFor, alreadyDecided));
	else sendJson(request.response, 202, { status: 'recorded', waitingFor, ...(alreadyDecided.length > 0 ? { alreadyDecided } : {}) });
	return { noWebhookResponse: true };
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

/** Whether the request asks for exactly what is recorded for the items it decides. */
function repeatsRecordedDecisions(wait: WaitRecord, requested: readonly RequestedDecision[], recorded: readonly DecisionPayload[], tokenItem: number | undefined): boolean {
	const check = checkDecisions(wait, requested, new Set(), tokenItem);
	if (!check.ok) return false;
	return [...check.decisionsByItem].every(([index, decisions]) => JSON.stringify(decisions) === JSON.stringify(recorded[index].decisions));
}

function isEveryItemDecided(records: ReadonlyArray<DecisionPayload | undefined>): records is DecisionPayload[] {
	return records.every((record) => record !== undefined);
}
