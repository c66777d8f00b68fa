import type { IncomingMessage, ServerResponse } from 'node:http';

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { authorizeRequest, readDecisionRecords } from '../../lib/resume';
import { StorageError, UnreadableObjectError } from '../../lib/storage';
import { storeFromParameters } from '../AgentNode/store-from-parameters';
import { n8nChecksResumeSignatures } from '../shared/n8n-resume-signature';
import { renderApprovalPage } from './approval-page';
import { postDecisions } from './post-decisions';
import { tokenOf } from './request-body';
import { systemResumeDeps, type ResumeDeps } from './resume-deps';
import { failureOf, responseFormatOf, sendFailure, sendHtml, type WebhookFailure } from './responses';
import { readTimelines } from './timelines';

/**
 * The waiting webhook (`/webhook-waiting/{executionId}`). It may run on any n8n process, so it
 * knows only the request, n8n's ids and storage. GET shows the approval page; POST records
 * decisions. Every answer except the one that resumes the execution is written here and returned
 * as `noWebhookResponse`, which leaves the execution waiting: a link preview, a refused or a partial
 * decision never moves the workflow on.
 */
export async function handleResumeWebhook(context: IWebhookFunctions, deps: ResumeDeps = systemResumeDeps): Promise<IWebhookResponseData> {
	const request = context.getRequestObject() as IncomingMessage;
	const response = context.getResponseObject() as ServerResponse;
	const headers = context.getHeaderData();
	const format = responseFormatOf(headers);
	try {
		const storage = await storeFromParameters(context);
		const location = { workflowId: context.getWorkflow().id ?? 'unsaved', executionId: context.getExecutionId(), resumeNodeId: context.getNode().id };
		const body = request.method === 'POST' ? context.getBodyData() : undefined;
		const query = context.getQueryData() as Record<string, unknown>;
		const signedByN8n = typeof query.signature === 'string' && n8nChecksResumeSignatures();
		const authorization = await authorizeRequest(storage, { location, token: tokenOf(query, body), signedByN8n, now: deps.now() });
		if (!authorization.ok) {
			sendFailure(response, failureOf(authorization.refusal), format);
			return { noWebhookResponse: true };
		}
		const { authorized } = authorization;
		if (request.method === 'POST') {
			return await postDecisions(authorized, { contentType: String(headers['content-type'] ?? ''), body, response, format }, deps);
		}
		const decisions = await readDecisionRecords(authorized.storage, authorized.wait);
		sendHtml(response, 200, renderApprovalPage(authorized.wait, decisions, authorized.token, authorized.tokenItem, { timelines: await readTimelines(authorized) }));
		return { noWebhookResponse: true };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const failure = error instanceof UnreadableObjectError ? unreadableObjectFailure(error) : storageFailure(error, message);
		sendFailure(response, failure, format);
		return { noWebhookResponse: true };
	}
}

/**
 * A stored record that cannot be read reads the same way every time: answering 503 "send it again"
 * would keep a client retrying for ever.
 */
function unreadableObjectFailure(error: UnreadableObjectError): WebhookFailure {
	return {
		status: 500,
		code: 'record_unreadable',
		message: `${error.message} Sending this request again will not help: the object named below must be restored or the run deleted.`,
		details: [`Object: ${error.key}`],
	};
}

function storageFailure(error: unknown, message: string): WebhookFailure {
	if (!(error instanceof StorageError)) return { status: 500, code: 'internal_error', message: `The request failed unexpectedly: ${message}` };
	return {
		status: 503,
		code: 'storage_unavailable',
		message: `Storage could not be read or written: ${message} A decision may have been recorded already: send the same request again once storage is reachable, and the execution continues.`,
	};
}
