import { sleep } from './executions';

export type WebhookResponse = { status: number; headers: Headers; text: string; json(): unknown };

/** How long a just-published workflow's webhook may answer "not registered" (n8n activates after it reports ready). */
const registrationPatienceMilliseconds = 15_000;

/**
 * POSTs JSON to a production webhook (`/webhook/<path>`). Retries while n8n answers 404 "not
 * registered", which happens for a few seconds after start-up.
 */
export async function postToWebhook(baseUrl: string, path: string, body: unknown): Promise<WebhookResponse> {
	const deadline = Date.now() + registrationPatienceMilliseconds;
	for (;;) {
		const response = await fetch(new URL(`webhook/${path}`, baseUrl), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status === 404 && /not registered/i.test(text) && Date.now() < deadline) {
			await sleep(250);
			continue;
		}
		return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
	}
}
