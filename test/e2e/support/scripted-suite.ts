import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';
import { describeFailure, type Execution } from './executions';
import { createLlmCredentials, type CredentialReference } from './llm-credentials';
import { startTestN8n, type TestN8n } from './n8n-test-instance';
import { postToWebhook } from './webhooks';
import { webhookPath, type Workflow } from './workflows';

/** A suite's real n8n, its scripted model and the OpenAI-compatible credential pointed at it. */
export type ScriptedN8n = { readonly n8n: TestN8n; readonly llm: ScriptedLlmServer; readonly credential: CredentialReference };

/** Starts the scripted model and a real n8n for the test file (beforeAll) and stops both (afterAll). */
export function useScriptedN8n(suiteName: string): ScriptedN8n {
	let n8n: TestN8n | undefined;
	let llm: ScriptedLlmServer | undefined;
	let credential: CredentialReference | undefined;
	beforeAll(async () => {
		llm = await startScriptedLlmServer();
		n8n = await startTestN8n(suiteName);
		credential = (await createLlmCredentials(n8n.rest, llm)).openAiCompatible;
	});
	afterAll(async () => {
		await n8n?.stop();
		await llm?.close();
	});
	const started = <Value>(value: Value | undefined): Value => {
		if (value === undefined) throw new Error('The scripted n8n suite starts in beforeAll.');
		return value;
	};
	return {
		get n8n() {
			return started(n8n);
		},
		get llm() {
			return started(llm);
		},
		get credential() {
			return started(credential);
		},
	};
}

/** POSTs `body` to the workflow's webhook and returns its next execution once it ended, which must have succeeded. */
export async function runThroughWebhook(n8n: TestN8n, workflow: Workflow, body: unknown): Promise<Execution> {
	const [previous] = await n8n.executions.list(workflow.id);
	expect((await postToWebhook(n8n.url, webhookPath(workflow), body)).status).toBe(200);
	const execution = await n8n.executions.waitForNext(workflow.id, previous?.id, ['success', 'error']);
	expect({ status: execution.status, failure: describeFailure(execution) }).toEqual({ status: 'success', failure: 'no error recorded' });
	return execution;
}
