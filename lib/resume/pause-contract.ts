import type { JsonSchema, Usage } from '../engine';
import type { Decision } from '../engine/pause/decisions';

/**
 * The items that travel between Durable AI Agent (its "Needs approval" output), Durable AI Agent
 * Resume (waits for the decision) and back into the agent. Everything a later process needs is in
 * these items or in storage: never in process memory (queue mode runs each step anywhere).
 */

/** Points at one pause of one run and proves the holder may decide it. */
export type PauseReference = {
	workflowId: string;
	executionId: string;
	/** The Durable AI Agent node that paused. */
	nodeId: string;
	runId: string;
	pauseId: string;
	snapshotKey: string;
	/** SHA-256 of the stored snapshot bytes. */
	snapshotHash: string;
	/** Signed approval token (approval-token.ts) for exactly this pause. */
	token: string;
};

/** A pending call as people see it on the page and in the item. */
export type PendingCallView = {
	toolCallId: string;
	toolName: string;
	/** `budget`: not a tool call; approving lets the run spend its budget once more. */
	kind: 'approval' | 'question' | 'budget';
	/** The arguments the model gave (for `question`: `{ question }`). */
	arguments: unknown;
	/** The tool's input schema, so edited arguments can be validated before they are accepted. */
	inputSchema: JsonSchema;
	/** Why the call was held: the rule, or why its condition could not be evaluated. */
	reason?: string;
};

/** The JSON of an item on the agent's "Needs approval" output. */
export type PausedItemJson = {
	status: 'paused';
	runId: string;
	reference: PauseReference;
	pending: PendingCallView[];
	/** The agent's last text before it paused (may be empty). */
	lastMessage: string;
	/** Page to decide on; GET shows it, POST records decisions. Includes n8n's signature and our token. */
	approvalUrl: string;
	usage: Usage;
	turns: number;
	transcript: string;
};

/** The field that marks an input item of the agent as a decision to continue a paused run. */
export const decisionField = 'durableAgentDecision';

export type DecisionPayload = { reference: PauseReference; decisions: Decision[]; decidedAt: string };

/** The JSON of an item the Resume node outputs: wire it back into the agent that paused. */
export type DecisionItemJson = { [decisionField]: DecisionPayload };

/** What the Resume node stores when it starts waiting, so its webhook (on any process) can serve the page. */
export type WaitRecord = {
	waitId: string;
	workflowId: string;
	workflowName: string;
	executionId: string;
	resumeNodeName: string;
	createdAt: string;
	/** ISO time after which the wait's time limit applies; absent = wait forever. */
	expiresAt?: string;
	items: Array<{ agentNodeName: string; reference: PauseReference; pending: PendingCallView[]; lastMessage: string }>;
};
