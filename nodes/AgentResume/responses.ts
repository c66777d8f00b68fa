import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type { Refusal, RefusalCode } from '../../lib/resume';
import { html } from './html';
import { htmlDocument, pageHeaders } from './page-shell';

/** Why a request was refused: an HTTP status, a stable code for programs and a message for people. */
export type WebhookFailure = { status: number; code: string; message: string; details?: string[] };

/** The HTTP status of each reason lib/resume refuses a decision request for. */
const refusalStatus: Readonly<Record<RefusalCode, number>> = {
	token_missing: 403,
	token_invalid: 403,
	token_for_other_item: 403,
	token_expired: 410,
	wait_not_found: 404,
	wait_expired: 410,
	pause_replaced: 409,
	already_resumed: 409,
	already_decided: 409,
	unknown_tool_call: 400,
	ambiguous_tool_call: 400,
	duplicate_decision: 400,
	invalid_decision: 400,
	incomplete_item: 400,
	snapshot_gone: 410,
	snapshot_mismatch: 409,
};

export function failureOf(refusal: Refusal): WebhookFailure {
	return { status: refusalStatus[refusal.code], ...refusal };
}

/** Browsers get pages; programs get JSON. */
export type ResponseFormat = 'html' | 'json';

/** HTML when the caller asks for it (`Accept: text/html`) or posted the page's form. */
export function responseFormatOf(headers: IncomingHttpHeaders): ResponseFormat {
	const accept = String(headers.accept ?? '');
	const contentType = String(headers['content-type'] ?? '');
	return accept.includes('text/html') || contentType.startsWith('application/x-www-form-urlencoded') ? 'html' : 'json';
}

/** Headers for responses whose body n8n sends after the node returns (the resuming request). */
export const securityHeaders: Readonly<Record<string, string>> = {
	'X-Content-Type-Options': pageHeaders['X-Content-Type-Options'],
	'Referrer-Policy': pageHeaders['Referrer-Policy'],
	'Cache-Control': pageHeaders['Cache-Control'],
};

export function sendHtml(response: ServerResponse, status: number, document: string): void {
	response.writeHead(status, { ...pageHeaders, 'Content-Length': Buffer.byteLength(document) });
	response.end(document);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, { ...securityHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
	response.end(text);
}

/** `{ error: { code, message, details? } }` for programs; a short page for people. */
export function sendFailure(response: ServerResponse, failure: WebhookFailure, format: ResponseFormat): void {
	if (format === 'json') {
		sendJson(response, failure.status, { error: { code: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) } });
		return;
	}
	const body = html`<div class="notice error">
<h1>${failure.status === 400 ? 'Please check your decisions' : 'This request cannot be completed'}</h1>
<p>${failure.message}</p>
${failure.details ? html`<ul>${failure.details.map((detail) => html`<li>${detail}</li>`)}</ul>` : ''}
${failure.status === 400 ? html`<p>Use your browser's Back button to correct the form and send it again.</p>` : ''}
<p class="note">Error code: ${failure.code} (HTTP ${failure.status})</p>
</div>`;
	sendHtml(response, failure.status, htmlDocument('Durable AI Agent: request refused', body));
}
