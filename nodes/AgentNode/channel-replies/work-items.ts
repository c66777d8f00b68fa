import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { decisionField, decisionsFromReply, isChannelReply, openPausesOf, type DecisionItemJson, type PausedItemJson, type ResumeStorage } from '../../../lib/resume';
import { answeredItems } from './answered-items';

/**
 * What the agent does for one input item (`itemIndex`: the input item it stands for, for parameters
 * and pairing): run or continue with `json`; send paused items out again (`again`); or fail.
 */
export type WorkItem = { itemIndex: number; json: IDataObject } | { itemIndex: number; again: PausedItemJson } | { itemIndex: number; error: NodeOperationError };

/**
 * The input items, with every send-and-wait reply replaced by one decision item per paused item it
 * answers. A reply that decides nothing changes nothing: the paused items it answers (or, when it
 * cannot be tied to any, every pause of this node still open in this execution) go out on Needs
 * Approval again with a notice saying why, so the channel asks again and the execution keeps waiting.
 */
export async function workItemsOf(context: IExecuteFunctions, items: readonly INodeExecutionData[], storage: ResumeStorage): Promise<WorkItem[]> {
	const work: WorkItem[][] = [];
	for (const [itemIndex, item] of items.entries()) {
		if (!isChannelReply(item.json)) {
			work.push([{ itemIndex, json: item.json }]);
			continue;
		}
		const answered = answeredItems(context, itemIndex, item);
		if (!answered.ok) {
			const open = await openPausesOf(storage, earlierPausedItems(context, itemIndex));
			work.push(open.length > 0 ? open.map((paused) => ({ itemIndex, again: withNotice(paused, answered.message) })) : [{ itemIndex, error: new NodeOperationError(context.getNode(), answered.message, { itemIndex }) }]);
			continue;
		}
		const decided = decisionsFromReply(item.json, answered.items, new Date());
		if (!decided.ok) {
			const notice = `The reply was not applied: ${decided.message}`;
			work.push(answered.items.map((paused) => ({ itemIndex, again: withNotice(paused, notice) })));
			continue;
		}
		work.push(decided.payloads.map((payload) => {
			const json: DecisionItemJson = { [decisionField]: payload };
			return { itemIndex, json: json as unknown as IDataObject };
		}));
	}
	return work.flat();
}

/** Every paused item this node emitted earlier in this execution, newest copy of each pause last. */
function earlierPausedItems(context: IExecuteFunctions, itemIndex: number): unknown[] {
	const proxy = context.getWorkflowDataProxy(itemIndex);
	const own = proxy.$(context.getNode().name) as { all(output?: number, run?: number): INodeExecutionData[] };
	const runs = Number(proxy.$runIndex);
	return Array.from({ length: runs }, (_unused, run) => own.all(1, run).map((item) => item.json)).flat();
}

function withNotice(paused: PausedItemJson, notice: string): PausedItemJson {
	return { ...paused, notice };
}
