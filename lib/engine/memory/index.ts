export type { AgentMemory, AgentMemoryOptions } from './agent-memory';
export { createAgentMemory } from './agent-memory';
export type { Episode } from './episode-summary';
export type { MemoryEntry, MemoryPort, MemoryWrite } from './memory-entry';
export { maxEntryContentCharacters, memoryContentIdentity, memoryEntrySchema } from './memory-entry';
export { episodeFromOutcome, toolsUsedIn } from './episode-from-outcome';
