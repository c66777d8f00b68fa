import { z } from 'zod/v4';

import { decisionSchema } from '../engine/pause/decisions';
import { pendingCallSchema } from '../engine/pause/pending-call';
import { usageSchema } from '../engine/model/messages';

/**
 * The items that travel between Durable AI Agent (its "Needs approval" output), Durable AI Agent
 * Resume (waits for the decision) and back into the agent. Everything a later process needs is in
 * these items or in storage: never in process memory (queue mode runs each step anywhere). Anything
 * can be wired into either node, so every item is read through its schema; the types are inferred.
 */

const id = z.string().min(1);

/** Points at one pause of one run and proves the holder may decide it. */
export const pauseReferenceSchema = z.object({
	workflowId: id,
	executionId: id,
	/** The Durable AI Agent node that paused. */
	nodeId: id,
	runId: id,
	pauseId: id,
	snapshotKey: id,
	/** SHA-256 of the stored snapshot bytes. */
	snapshotHash: id,
	/** Signed approval token (approval-token.ts) for exactly this pause. */
	token: id,
	/**
	 * The execution that emitted this paused item and waits for its decision, when the run lives in
	 * another one: it was continued from there (Recover Runs, Continue Paused Run) and paused again.
	 * Absent: the run's own execution waits. The token is issued for the waiting execution.
	 */
	waitingIn: z.object({ workflowId: id, executionId: id }).optional(),
});

export type PauseReference = z.infer<typeof pauseReferenceSchema>;

/** The execution whose Resume node may wait for this pause (and whose id the token carries). */
export function waitingExecutionOf(reference: PauseReference): { workflowId: string; executionId: string } {
	return reference.waitingIn ?? { workflowId: reference.workflowId, executionId: reference.executionId };
}

/**
 * What a budget pause has spent and may spend, for the person deciding. The budgets are the node's
 * Token Budget and Cost Budget (USD) as configured (absent = not set); each approval allows the run
 * each budget once more, so it may now spend `(1 + approvals) ×` each of them.
 */
export const budgetSpendingSchema = z.object({
	/** The budget the run reached: the failure code it ends with if the pause is rejected. */
	exceeded: z.enum(['token_budget', 'cost_budget']),
	/** Tokens used so far: input, output and cache. */
	spentTokens: z.number().int().min(0),
	/** Estimated cost so far; absent when the model's price is unknown. */
	spentCostUsd: z.number().min(0).optional(),
	tokenBudget: z.number().positive().optional(),
	costBudgetUsd: z.number().positive().optional(),
	/** How often a person already allowed the run to spend its budget once more. */
	approvals: z.number().int().min(0),
});

export type BudgetSpending = z.infer<typeof budgetSpendingSchema>;

const pendingKind = pendingCallSchema.shape.kind;

const viewFields = {
	toolCallId: id,
	toolName: id,
	/** The arguments the model gave (for `question`: `{ question }`; for `budget`: what the engine recorded). */
	arguments: z.unknown(),
	/** The tool's input schema, so edited arguments can be validated before they are accepted. */
	inputSchema: z.record(z.string(), z.json()),
	/** Why the call was held: the rule, or why its condition could not be evaluated. */
	reason: pendingCallSchema.shape.reason,
};

/**
 * A pending call as people see it on the page and in the item; its kind is the engine's
 * (pause/pending-call.ts). A `budget` entry is not a tool call: it carries what the run spent.
 */
export const pendingCallViewSchema = z.discriminatedUnion('kind', [
	z.object({ ...viewFields, kind: pendingKind.exclude(['budget']) }),
	z.object({ ...viewFields, kind: pendingKind.extract(['budget']), spending: budgetSpendingSchema }),
]);

export type PendingCallView = z.infer<typeof pendingCallViewSchema>;

/**
 * Where the run stands at this pause, for the page and for a workflow that notifies again: shared
 * by the paused item and the wait record (wait-record.ts), absent on items from earlier versions.
 */
export const pauseProgressFields = {
	/** Which pause of this run this is: 1 for its first, 2 when it paused again after a decision, … */
	pauseNumber: z.number().int().min(1).optional(),
	/** The run's estimated cost so far (USD), as the Done item's `costUsd`; absent when the model's price is unknown. */
	costUsd: z.number().min(0).optional(),
};

/** The JSON of an item on the agent's "Needs approval" output. */
export const pausedItemSchema = z.object({
	status: z.literal('paused'),
	runId: id,
	reference: pauseReferenceSchema,
	pending: z.array(pendingCallViewSchema).min(1),
	/** The agent's last text before it paused (may be empty). */
	lastMessage: z.string(),
	/** Page to decide on; GET shows it, POST records decisions. Includes n8n's signature or our token. */
	approvalUrl: z.string(),
	usage: usageSchema,
	turns: z.number().int().min(0),
	transcript: z.string(),
	/**
	 * The pending calls as plain text, one line each ("Create_Ticket {…}", "Question: …"), for a
	 * message in any channel: n8n's expressions may not read a property called `arguments`.
	 * Absent on items from versions before it existed.
	 */
	summary: z.string().optional(),
	/**
	 * Why this paused item went out again, for the message that asks again: a send-and-wait reply
	 * that decided nothing. Absent on a first pause.
	 */
	notice: z.string().optional(),
	...pauseProgressFields,
});

export type PausedItemJson = z.infer<typeof pausedItemSchema>;

/** The decisions on one pause: what the Resume node records once and hands back to the agent. */
export const decisionPayloadSchema = z.object({
	reference: pauseReferenceSchema,
	decisions: z.array(decisionSchema).min(1),
	decidedAt: z.string(),
});

export type DecisionPayload = z.infer<typeof decisionPayloadSchema>;

/** The field that marks an input item of the agent as a decision to continue a paused run. */
export const decisionField = 'durableAgentDecision';

/** The JSON of an item the Resume node outputs: wire it back into the agent that paused. */
export type DecisionItemJson = { [decisionField]: DecisionPayload };
