/**
 * The resume protocol: how a paused agent run is decided and continued. Nodes hand over a request
 * (ids, a token, decisions) and get a typed answer; every storage key, record and claim is built and
 * read here. Depends on lib/engine and lib/storage only, never on n8n.
 */
export type { BudgetSpending, DecisionItemJson, DecisionPayload, PausedItemJson, PauseReference, PendingCallView } from './pause-contract';
export { decisionField, decisionPayloadSchema, pausedItemSchema, waitingExecutionOf } from './pause-contract';
export type { ResumeStorage } from './resume-storage';
export type { Refusal, RefusalCode } from './refusal';
export type { ApprovalClaims, TokenCheck } from './approval-token';
export { signApprovalToken, verifyApprovalToken } from './approval-token';
export type { PausedItemRequest, PausedRunIds } from './paused-item';
export { pausedItem } from './paused-item';
export type { WaitLocation, WaitRecord } from './wait-record';
export { beginWait } from './wait-record';
export type { AuthorizedWait, Authorization, DecisionRequestOrigin } from './authorize';
export { authorizeRequest } from './authorize';
export type { RequestedDecision } from './check-decisions';
export type { DecisionOutcome } from './record-decisions';
export { recordDecisions } from './record-decisions';
export { readDecisionRecords } from './decision-records';
export type { TimeoutPolicy, TimeoutSettlement } from './timeout';
export { noAnswer, noDecisionReason, settleTimedOutItem } from './timeout';
export type { Continuation, ContinuationRequest } from './continue-run';
export { continuePausedRun } from './continue-run';
export type { ChannelReply, ReplyDecisions } from './channel-reply';
export { channelReplySchema, decisionsFromReply, formLabels, isChannelReply } from './channel-reply';
export { openPausesOf } from './open-pauses';
export type { RunTimeline, TimelineStep } from './run-timeline';
export { maxShownResultLength, readRunTimeline, timelineOf } from './run-timeline';
export type { AfterDecision, WatchOptions } from './after-decision';
export { watchAfterDecision } from './after-decision';
export type { Recovery, RunReport, RunState } from './run-report';
export type { RunSweep } from './workflow-runs';
export { reportWorkflowRuns } from './workflow-runs';
