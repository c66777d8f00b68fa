import type { IExecuteFunctions, INodeExecutionData, IPairedItemData, ISourceData } from 'n8n-workflow';

import { pausedItemSchema, waitingExecutionOf, type PausedItemJson } from '../../../lib/resume';

/** The paused items a send-and-wait reply answers, or why it cannot be tied to any. */
export type AnsweredItems = { ok: true; items: PausedItemJson[] } | { ok: false; message: string };

type ItemsOfNode = { all(output?: number, run?: number): INodeExecutionData[] };

/**
 * Ties a send-and-wait reply to the paused items it answers, through n8n's item pairing only (never
 * by position). n8n 2.41 builds one message per send-and-wait run from its first input item and
 * pairs the reply to that item:
 * 1. the reply's pairing, followed back through the nodes in between, reaches the paused item the
 *    message was built from (`$getPairedItem`: `$('<this node>').item` refuses to look back at the
 *    node asking);
 * 2. when the agent's Needs Approval output feeds the send-and-wait node directly, every paused item
 *    of that agent run reached the node's run and the message answers them all (the agent's own
 *    earlier output, `$('<this node>').all(1, run)`, holds them); with any node in between (Loop
 *    Over Items, a filter) only the item the message was built from is known to have reached it.
 */
export function answeredItems(context: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): AnsweredItems {
	const node = context.getNode();
	const proxy = context.getWorkflowDataProxy(itemIndex);
	const pairing = pairedItemOf(item);
	const source = pairing === undefined ? undefined : (context.getExecuteData().source?.main?.[pairing.input ?? 0] ?? undefined);
	if (pairing === undefined || source === undefined) return unpaired(node.name, 'it carries no pairing to an earlier item');
	let first: INodeExecutionData | null;
	try {
		first = proxy.$getPairedItem(node.name, source, pairing);
	} catch (error) {
		return unpaired(node.name, `its pairing does not lead back to this node's Needs Approval output (${error instanceof Error ? error.message : String(error)})`);
	}
	const paused = pausedItemSchema.safeParse(first?.json);
	if (!paused.success || paused.data.reference.nodeId !== node.id || waitingExecutionOf(paused.data.reference).executionId !== context.getExecutionId()) {
		return unpaired(node.name, 'the item its message was built from is not a paused item of this node in this execution');
	}
	if (!fedDirectly(context, source)) return { ok: true, items: [paused.data] };
	const ownOutput = proxy.$(node.name) as ItemsOfNode;
	const runs = Number(proxy.$runIndex);
	for (let run = runs - 1; run >= 0; run -= 1) {
		const emitted = ownOutput.all(1, run).flatMap((candidate) => {
			const parsed = pausedItemSchema.safeParse(candidate.json);
			return parsed.success ? [parsed.data] : [];
		});
		if (emitted.some((candidate) => candidate.reference.pauseId === paused.data.reference.pauseId)) return { ok: true, items: emitted };
	}
	return { ok: true, items: [paused.data] };
}

/** Whether the reply came straight from a send-and-wait node whose only input is this node. */
function fedDirectly(context: IExecuteFunctions, source: ISourceData): boolean {
	const sender = context.getParentNodes(context.getNode().name, { depth: 1, includeNodeParameters: true }).find((parent) => parent.name === source.previousNode);
	if (sender?.parameters?.operation !== 'sendAndWait') return false;
	const senderInputs = context.getParentNodes(source.previousNode, { depth: 1 });
	return senderInputs.length === 1 && senderInputs[0].name === context.getNode().name;
}

function pairedItemOf(item: INodeExecutionData): IPairedItemData | undefined {
	const { pairedItem } = item;
	if (typeof pairedItem === 'number') return { item: pairedItem };
	if (Array.isArray(pairedItem)) return pairedItem.length === 1 ? pairedItem[0] : undefined;
	return pairedItem ?? undefined;
}

function unpaired(nodeName: string, why: string): AnsweredItems {
	return {
		ok: false,
		message:
			`A send-and-wait reply reached "${nodeName}", but ${why}. ` +
			`Connect "${nodeName}"'s Needs Approval output to the send-and-wait node (Slack, Telegram, Send Email…), directly or through nodes that keep n8n's item pairing (Set, Loop Over Items), ` +
			`and that node's output back into "${nodeName}". Build the message from the paused items ($json, or $input.all() for all of them); do not build new items with a Code node.`,
	};
}
