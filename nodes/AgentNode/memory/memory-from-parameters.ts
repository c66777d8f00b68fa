import { randomUUID } from 'node:crypto';

import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { createAgentMemory, type AgentMemory } from '../../../lib/engine';
import { createAgentMemoryStore } from '../../../lib/storage';
import { expectedNumber, numberSchema } from '../number-parameter';
import type { ConfiguredStore } from '../store-from-parameters';
import { memoryScopeFromParameters } from './memory-scope';

type MemorySetting = 'off' | 'readOnly' | 'readWrite';

const memoryBudgetRule = { integer: true, min: 0 };

/** The memory of one item's run as its parameters define it; undefined when Memory is Off. */
export function memoryFromParameters(context: IExecuteFunctions, itemIndex: number, storage: ConfiguredStore): AgentMemory | undefined {
	const setting = context.getNodeParameter('memory', itemIndex, 'off') as MemorySetting;
	if (setting === 'off') return undefined;
	const scope = memoryScopeFromParameters(context, itemIndex);
	const budget = numberSchema(memoryBudgetRule, 1000).safeParse(context.getNodeParameter('memoryBudgetTokens', itemIndex, 1000));
	if (!budget.success) {
		throw new NodeOperationError(context.getNode(), 'The Memory Budget is not a number of tokens', {
			itemIndex,
			description: `Set 'Memory Budget (Tokens)' to ${expectedNumber(memoryBudgetRule)}; 0 puts no entries in the prompt (the recall tool still finds them).`,
		});
	}
	const instructions = context.getNodeParameter('memoryInstructions', itemIndex, '') as unknown;
	return createAgentMemory(createAgentMemoryStore(storage.store, { prefix: storage.prefix, scope }), {
		mode: setting === 'readOnly' ? 'read-only' : 'read-write',
		instructions: instructions === undefined || instructions === null ? '' : String(instructions),
		promptBudgetTokens: budget.data,
		now: Date.now,
		newId: randomUUID,
	});
}
