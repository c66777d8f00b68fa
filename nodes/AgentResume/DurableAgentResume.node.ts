import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { s3StorageTest } from '../shared/s3-credential-test';
import { resumeParameterProperties } from './parameters';

/**
 * n8n's waiting webhook, as its Wait and Form nodes declare it: served at
 * `/webhook-waiting/{executionId}` while this node waits. `responseData: ''` makes n8n answer the
 * resuming request with the `webhookResponse` the node returns.
 */
const waitingWebhook = (httpMethod: 'GET' | 'POST'): IWebhookDescription => ({
	name: 'default',
	httpMethod,
	path: '',
	restartWebhook: true,
	responseMode: 'onReceived',
	responseData: '',
});

/** Durable AI Agent Resume: waits for decisions on a paused agent run. n8n wiring only. */
// Restart webhooks (as on n8n's Wait node) are served by n8n itself: nothing is registered with a
// third-party service, so there is no webhookMethods lifecycle to implement.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class DurableAgentResume implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Durable AI Agent Resume',
		name: 'durableAgentResume',
		icon: { light: 'file:durableAgentResume.svg', dark: 'file:durableAgentResume.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["limitWaitTime"] ? "Waits up to " + $parameter["resumeAmount"] + " " + $parameter["resumeUnit"] : "Waits for a decision" }}',
		description: 'Waits until a person approves, rejects, edits or answers the calls a Durable AI Agent paused on, then hands the decisions back to the agent',
		defaults: { name: 'Durable AI Agent Resume' },
		// n8n's node panel leaves an 'AI'-category node out of search results unless it is a root node;
		// as a Human in the Loop node with the AI subcategory it is found and listed under Agents.
		codex: {
			categories: ['HITL'],
			subcategories: { AI: ['Agents', 'Root Nodes'], HITL: ['Human in the Loop'] },
			alias: ['Durable', 'AI Agent', 'Resume', 'Approval', 'Approve', 'Human in the loop', 'HITL', 'Wait for approval'],
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'durableAgentS3Storage', required: true, testedBy: 's3StorageTest', displayOptions: { show: { storage: ['s3'] } } }],
		webhooks: [waitingWebhook('GET'), waitingWebhook('POST')],
		properties: resumeParameterProperties,
		usableAsTool: undefined,
	};

	methods = { credentialTest: { s3StorageTest } };

	// The behaviour is loaded on first use: n8n loads every node at start-up and needs only the description then.
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const [{ startWaiting }, { systemResumeDeps }] = await Promise.all([import('./execute'), import('./resume-deps')]);
		return await startWaiting(this, systemResumeDeps);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const { handleResumeWebhook } = await import('./webhook');
		return await handleResumeWebhook(this);
	}
}
