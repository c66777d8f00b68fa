import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPOSITORY_ROOT } from '../../../scripts/n8n/local-n8n';

/** A node of an n8n workflow file, as the examples write it. */
export type WorkflowNode = {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[field: string]: unknown;
};

export type Workflow = { id: string; name: string; nodes: WorkflowNode[]; connections: Record<string, unknown>; [field: string]: unknown };

export const examplesFolder = join(REPOSITORY_ROOT, 'examples');

/** A fresh copy of `examples/<fileName>`, so a test's changes never leak into another's. */
export function readExample(fileName: string): Workflow {
	return JSON.parse(readFileSync(join(examplesFolder, fileName), 'utf8')) as Workflow;
}

export function findNode(workflow: Workflow, nodeName: string): WorkflowNode {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (node === undefined) throw new Error(`Workflow "${workflow.name}" has no node "${nodeName}"; it has ${workflow.nodes.map((each) => each.name).join(', ')}.`);
	return node;
}

/** Sets parameters of one node; `options` is merged rather than replaced. */
export function setParameters(workflow: Workflow, nodeName: string, parameters: Record<string, unknown>): Workflow {
	const node = findNode(workflow, nodeName);
	const { options, ...rest } = parameters;
	node.parameters = { ...node.parameters, ...rest };
	if (options !== undefined) node.parameters.options = { ...(node.parameters.options as object | undefined), ...(options as object) };
	return workflow;
}

/** Points every node that uses a credential of `type` at `credential` (ids differ per n8n instance). */
export function useCredential(workflow: Workflow, type: string, credential: { id: string; name: string }): Workflow {
	for (const node of workflow.nodes) {
		if (node.credentials?.[type] !== undefined) node.credentials[type] = credential;
	}
	return workflow;
}

/** Adds credentials of `type` to a node that has none yet (e.g. after switching its provider). */
export function addCredential(workflow: Workflow, nodeName: string, type: string, credential: { id: string; name: string }): Workflow {
	const node = findNode(workflow, nodeName);
	node.credentials = { ...node.credentials, [type]: credential };
	return workflow;
}

/** The production webhook path of the workflow's first Webhook node. */
export function webhookPath(workflow: Workflow): string {
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	if (webhook === undefined) throw new Error(`Workflow "${workflow.name}" has no Webhook node.`);
	return String(webhook.parameters.path);
}
