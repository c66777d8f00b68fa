import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunOutcome } from '../../lib/engine';
import { pausedItem, type PausedItemJson, type PausedItemRequest } from '../../lib/resume';

/** The Done output's JSON for a finished or failed run. */
export function finishedItemJson(outcome: Exclude<RunOutcome, { status: 'paused' }>): IDataObject {
	const common = {
		runId: outcome.runId,
		turns: outcome.turns,
		usage: outcome.usage,
		costUsd: outcome.costUsd ?? null,
		transcript: outcome.transcript,
		...(outcome.warnings ? { warnings: outcome.warnings } : {}),
	};
	// Which model answered: the provider's id for it, and whether the fallback model stood in for the main one.
	if (outcome.status === 'done') return { status: 'done', output: outcome.output, model: outcome.answeredBy.modelId, usedFallback: outcome.answeredBy.usedFallback, ...common } as IDataObject;
	return { status: 'failed', error: outcome.error, ...common };
}

/** The Needs Approval output's JSON: what a person (or system) needs to decide, and the reference to resume. */
export async function pausedItemJson(context: IExecuteFunctions, itemIndex: number, request: Omit<PausedItemRequest, 'resumeUrl'>): Promise<PausedItemJson> {
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex));
	return await pausedItem({ ...request, resumeUrl });
}
