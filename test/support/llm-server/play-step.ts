import { readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import {
	anthropicErrorBody,
	anthropicMessage,
	anthropicSseFrame,
	anthropicStreamErrorFrame,
	anthropicStreamEvents,
} from './anthropic-wire';
import { chatCompletion, chatCompletionChunks, chatErrorBody, chatSseFrame, chatStreamErrorFrame } from './chat-completions-wire';
import type { WireFormat } from './recorded-request';
import { providerStreamsDirectory, type ScriptedReply, type Step } from './script';

type ResponseHeaders = Record<string, string>;

export const sendJson = (response: http.ServerResponse, status: number, body: unknown, headers: ResponseHeaders = {}) => {
	response.writeHead(status, { 'content-type': 'application/json', ...headers });
	response.end(JSON.stringify(body));
};

/** An HTTP error with the body in the provider's error shape, so the SDKs read its message. */
export const sendError = (response: http.ServerResponse, wireFormat: WireFormat, status: number, message: string, headers?: ResponseHeaders, code?: string) => {
	const body = wireFormat === 'anthropic' ? anthropicErrorBody(status, message) : chatErrorBody(status, message, code);
	sendJson(response, status, body, headers);
};

const startSse = (response: http.ServerResponse) =>
	response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });

/** The SSE frames of a scripted reply, `[DONE]` included for Chat Completions. */
const replyFrames = (wireFormat: WireFormat, reply: ScriptedReply, body: Record<string, unknown>, responseId: string): string[] => {
	const model = String(body.model);
	if (wireFormat === 'anthropic') return anthropicStreamEvents(reply, model, responseId).map(anthropicSseFrame);
	const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
	return [...chatCompletionChunks(reply, model, responseId, includeUsage).map(chatSseFrame), chatSseFrame('[DONE]')];
};

/** A recorded file replayed verbatim: one JSON payload per line becomes one SSE event. */
const recordedFrames = (wireFormat: WireFormat, file: string): string[] => {
	const text = readFileSync(path.resolve(providerStreamsDirectory, file), 'utf8');
	const lines = text.split('\n').filter((line) => line.trim() !== '');
	if (wireFormat === 'chat-completions') return [...lines.map((line) => `data: ${line}\n\n`), 'data: [DONE]\n\n'];
	return lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`);
};

/** Answers one request with one scripted step, in the request's wire format. */
export const playStep = (
	step: Step,
	response: http.ServerResponse,
	context: { wireFormat: WireFormat; body: Record<string, unknown>; stepNumber: number },
): void => {
	const { wireFormat, body, stepNumber } = context;
	const responseId = `${wireFormat === 'anthropic' ? 'msg' : 'chatcmpl'}_scripted_${stepNumber}`;
	const model = String(body.model);
	switch (step.kind) {
		case 'http-error':
			sendError(response, wireFormat, step.status, step.message ?? `Scripted ${step.status} error`, step.headers, step.code);
			return;
		case 'reply':
			if (body.stream !== true) {
				const message = wireFormat === 'anthropic' ? anthropicMessage(step, model, responseId) : chatCompletion(step, model, responseId);
				sendJson(response, 200, message);
				return;
			}
			startSse(response);
			response.end(replyFrames(wireFormat, step, body, responseId).join(''));
			return;
		case 'cut-off': {
			startSse(response);
			const frames = replyFrames(wireFormat, step, body, responseId).slice(0, step.afterEvents).join('');
			if (step.ending === 'stream-ended') response.end(frames);
			else if (step.ending === 'stalled') response.write(frames);
			else response.write(frames, () => response.socket?.destroy());
			return;
		}
		case 'stream-error': {
			startSse(response);
			const frames = replyFrames(wireFormat, step, body, responseId).slice(0, step.afterEvents).join('');
			const errorFrame = (wireFormat === 'anthropic' ? anthropicStreamErrorFrame : chatStreamErrorFrame)(step.errorType, step.message);
			response.end(frames + errorFrame);
			return;
		}
		case 'raw':
			response.writeHead(step.status, { 'content-type': step.contentType });
			response.end(step.body);
			return;
		case 'recorded':
			if (step.file.endsWith('.json')) {
				sendJson(response, 200, JSON.parse(readFileSync(path.resolve(providerStreamsDirectory, step.file), 'utf8')));
				return;
			}
			startSse(response);
			response.end(recordedFrames(wireFormat, step.file).join(''));
			return;
	}
};
