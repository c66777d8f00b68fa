import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { MemoryEntry } from '../../../lib/engine';
import { createAgentMemoryStore, type AgentMemoryStore, type StoredMemoryObject } from '../../../lib/storage';
import type { ConfiguredStore } from '../store-from-parameters';
import { memoryScopeFromParameters } from './memory-scope';

type MemoryOperation = 'list' | 'deleteEntry' | 'clearScope';

/**
 * The Manage Memory mode: per input item, list the entries of its scope (one output item per entry),
 * delete one entry by id, or clear the scope (one summary item). Everything goes to the first output;
 * the second (Needs Approval) stays empty.
 */
export async function executeManageMemory(context: IExecuteFunctions, storage: ConfiguredStore): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < context.getInputData().length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		try {
			const results = await manageItem(context, itemIndex, storage);
			output.push(...results.map((json) => ({ json, pairedItem })));
		} catch (error) {
			const nodeError = error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error, { itemIndex });
			if (!context.continueOnFail()) throw nodeError;
			output.push({ json: { error: nodeError.message, description: nodeError.description ?? undefined }, pairedItem });
		}
	}
	return [output, []];
}

async function manageItem(context: IExecuteFunctions, itemIndex: number, storage: ConfiguredStore): Promise<IDataObject[]> {
	const operation = context.getNodeParameter('memoryOperation', itemIndex) as MemoryOperation;
	const scope = memoryScopeFromParameters(context, itemIndex);
	const memory = createAgentMemoryStore(storage.store, { prefix: storage.prefix, scope });
	if (operation === 'list') return await listEntries(context, itemIndex, memory);
	if (operation === 'deleteEntry') return [await deleteEntry(context, itemIndex, memory)];
	const deletedObjects = await memory.clear();
	return [{ operation, scope: memory.scope, deletedObjects, location: memory.location }];
}

async function listEntries(context: IExecuteFunctions, itemIndex: number, memory: AgentMemoryStore): Promise<IDataObject[]> {
	const returnAll = context.getNodeParameter('memoryReturnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : Math.max(1, Number(context.getNodeParameter('memoryLimit', itemIndex, 50)));
	const objects = await memory.read({ limit });
	return objects.map((object) => (object.status === 'readable' ? entryJson(memory.scope, object.entry) : unreadableJson(memory.scope, object)));
}

async function deleteEntry(context: IExecuteFunctions, itemIndex: number, memory: AgentMemoryStore): Promise<IDataObject> {
	const value = context.getNodeParameter('memoryEntryId', itemIndex, '') as unknown;
	const id = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (id === '') {
		throw new NodeOperationError(context.getNode(), 'The Entry ID is empty', {
			itemIndex,
			description: "Set 'Entry ID' to the id of an entry as List Entries returns it, e.g. {{ $json.id }} after a List Entries step.",
		});
	}
	const deleted = await memory.deleteEntry(id);
	return {
		operation: 'deleteEntry',
		scope: memory.scope,
		id,
		deleted,
		...(deleted ? {} : { message: `No entry with this id in scope "${memory.scope}": it was already deleted, or belongs to another scope.` }),
	};
}

function entryJson(scope: string, entry: MemoryEntry): IDataObject {
	return { scope, ...entry };
}

/** Unreadable objects are listed too, with their problem, so they can be found and deleted by id. */
function unreadableJson(scope: string, object: Extract<StoredMemoryObject, { status: 'unreadable' }>): IDataObject {
	return { scope, id: object.id, kind: object.folder === 'episodes' ? 'episode' : 'entry', unreadable: true, problem: object.problem, key: object.key };
}
