import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { defaultRunLeaseMs, runLeaseFromEnvironment } from '../../../lib/engine';
import { decisionField, reportWorkflowRuns, type RunReport } from '../../../lib/resume';
import { loadSigningSecret } from '../../../lib/storage';
import type { ConfiguredStore } from '../store-from-parameters';

/**
 * The Recover Runs mode: finds a workflow's runs from storage alone, with their true state (see
 * lib/resume/run-report.ts). Runs that can be continued (decided but never continued, or
 * interrupted while continuing a pause) leave on the first output as decision items: wired into the
 * Durable AI Agent they belong to, each is continued under the same one-time claims as any decision,
 * so a sweep that runs twice continues a run once. Runs a person must decide or check leave on the
 * second output. No model is called.
 */
export async function executeRecoverRuns(context: IExecuteFunctions, storage: ConfiguredStore): Promise<INodeExecutionData[][]> {
	const toContinue: INodeExecutionData[] = [];
	const toReport: INodeExecutionData[] = [];
	const secret = await loadSigningSecret(storage.store, storage.prefix);
	const leaseMs = runLeaseFromEnvironment() ?? defaultRunLeaseMs;
	for (let itemIndex = 0; itemIndex < context.getInputData().length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		const workflowId = String(context.getNodeParameter('recoverWorkflowId', itemIndex, '') ?? '').trim();
		if (workflowId === '') {
			throw new NodeOperationError(context.getNode(), 'The Workflow ID is empty', { itemIndex, description: "Set 'Workflow ID' to the workflow whose runs to recover, e.g. {{ $workflow.id }}." });
		}
		const executionId = String(context.getNodeParameter('recoverExecutionId', itemIndex, '') ?? '').trim();
		const reportAll = context.getNodeParameter('recoverReport', itemIndex, 'attention') === 'all';
		const reports = await reportWorkflowRuns(storage, { workflowId, ...(executionId === '' ? {} : { executionId }), nowMs: Date.now(), leaseMs, secret });
		for (const report of reports) {
			if (report.recovery.action === 'continue') toContinue.push({ json: { [decisionField]: report.recovery.decision, recovery: summaryOf(report) } as IDataObject, pairedItem });
			else if (reportAll || needsAttention(report)) toReport.push({ json: reportJson(report), pairedItem });
		}
	}
	return [toContinue, toReport];
}

/** A pause nobody waits on, or a run that stopped and cannot be continued safely: a person must look. */
function needsAttention(report: RunReport): boolean {
	return report.recovery.action === 'decide' || (report.recovery.action === 'none' && report.state !== 'done' && report.state !== 'failed');
}

function summaryOf(report: RunReport): IDataObject {
	const { recovery, ...summary } = report;
	return { ...summary, action: recovery.action };
}

function reportJson(report: RunReport): IDataObject {
	const { recovery } = report;
	return { ...summaryOf(report), ...(recovery.action === 'decide' ? { reference: recovery.reference, pending: recovery.pending } : {}) } as IDataObject;
}
