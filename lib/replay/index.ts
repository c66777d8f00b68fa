/**
 * Replaying stored runs: list a workflow's runs, re-run one with the current agent settings as a
 * new run, and compare the two. Nodes hand over ids or an item and get typed answers; every key is
 * built in lib/storage. Depends on lib/engine, lib/storage and lib/resume (for the run sweep), never on n8n.
 */
export type { ComparedRun, RunComparison } from '../engine/replay/compare-runs';
export { comparedRunSchema, runComparisonSchema } from '../engine/replay/compare-runs';
export type { ReplayOutcome } from '../engine/replay/replay-agent';
export type { ReplayRefusalCode } from '../engine/replay/replay-error';
export { ReplayError } from '../engine/replay/replay-error';
export { notAvailableInReplay } from '../engine/replay/replay-tools';
export type { ListedRun, RunListing } from './list-runs';
export { listedRunSchema, listWorkflowRuns } from './list-runs';
export type { ReplaySource } from './replay-source';
export { replaySourceSchema } from './replay-source';
export type { ReplayRequest } from './replay-stored-run';
export { replayStoredRun } from './replay-stored-run';
