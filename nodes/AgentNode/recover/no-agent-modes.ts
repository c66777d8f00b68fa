/** The modes that run no agent (no model, no tools): the agent's settings are hidden in them. */
export const noAgentModes = ['manageMemory', 'recoverRuns', 'listRuns'];
