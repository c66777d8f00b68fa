import type { IncomingMessage, ServerResponse } from 'node:http';

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { StorageError } from '../../lib/storage';
import { storeFromParameters } from '../AgentNode/store-from-parameters';
import { renderApprovalPage } from './approval-page';
import { authorizeRequest } from './authorize';
import { postDecisions } from './post-decisions';
import { tokenOf } from './request-body';
import { n8nChecksResumeSignatures } from '../shared/n8n-resume-signature';
import { systemResumeDeps, type ResumeDeps } from './resume-deps';
import { responseFormatOf, sendFailure, sendHtml } from './responses';
import { readDecisionRecords } from '../shared/decision-records';

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
		const location = { prefix: storage.prefix, workflowId: context.getWorkflow().id ?? 'unsaved', executionId: context.getExecutionId(), nodeId: context.getNode().id };
		const body = request.method === 'POST' ? context.getBodyData() : undefined;
		const query = context.getQueryData() as Record<string, unknown>;
		const token = tokenOf(query, body);
		const signedByN8n = typeof query.signature === 'string' && n8nChecksResumeSignatures();
		const authorization = await authorizeRequest(storage, location, token, deps.now(), signedByN8n);
		if (!authorization.ok) {
			sendFailure(response, authorization.failure, format);
			return { noWebhookResponse: true };
		}
		const { authorized } = authorization;
		if (request.method === 'POST') {
			return await postDecisions(authorized, { contentType: String(headers['content-type'] ?? ''), body, response, format }, deps);
		}
		const decisions = await readDecisionRecords(authorized.store, authorized.prefix, authorized.wait);
		sendHtml(response, 200, renderApprovalPage(authorized.wait, decisions, authorized.token, authorized.tokenItem));
		return { noWebhookResponse: true };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const failure =
			error instanceof StorageError
				? {
						status: 503,
						code: 'storage_unavailable',
						message: `Storage could not be read or written: ${message} A decision may have been recorded already: send the same request again once storage is reachable, and the execution continues.`,
					}
				: { status: 500, code: 'internal_error', message: `The request failed unexpectedly: ${message}` };
		sendFailure(response, failure, format);
		return { noWebhookResponse: true };
	}
}
