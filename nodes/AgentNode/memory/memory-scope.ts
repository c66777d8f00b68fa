import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { normalizedScopeKey, type MemoryScope } from '../../../lib/storage';

/** Long keys become file names on local disk, where a name may have at most 255 bytes once encoded. */
const maxScopeKeyCharacters = 200;

/**
 * The memory scope of one item: this workflow's, or the Scope Key the item's expression gives.
 * The two are separate namespaces: no key, whatever its text, reaches a workflow's memory.
 */
export function memoryScopeFromParameters(context: IExecuteFunctions, itemIndex: number): MemoryScope {
	if (context.getNodeParameter('memoryScope', itemIndex, 'workflow') !== 'customKey') {
		return { kind: 'workflow', workflowId: context.getWorkflow().id ?? 'unsaved' };
	}
	const value = context.getNodeParameter('memoryScopeKey', itemIndex, '') as unknown;
	const fail = (message: string, description: string) => new NodeOperationError(context.getNode(), message, { itemIndex, description });
	if (typeof value !== 'string' && typeof value !== 'number') {
		if (value === undefined || value === null) throw fail('The memory Scope Key is empty', emptyKeyAdvice(itemIndex));
		throw fail(
			'The memory Scope Key is not text',
			`'Scope Key' gave ${Array.isArray(value) ? 'a list' : `a ${typeof value}`} for item ${itemIndex}. Point the expression at one text or number field, e.g. {{ $json.customerId }}.`,
		);
	}
	const key = normalizedScopeKey(String(value));
	if (key === '') throw fail('The memory Scope Key is empty', emptyKeyAdvice(itemIndex));
	if (key.length > maxScopeKeyCharacters) {
		throw fail('The memory Scope Key is too long', `'Scope Key' has ${key.length} characters for item ${itemIndex}; use at most ${maxScopeKeyCharacters}, e.g. an ID rather than a name or a text.`);
	}
	return { kind: 'key', key };
}

function emptyKeyAdvice(itemIndex: number): string {
	return (
		`'Scope Key' evaluated to nothing for item ${itemIndex}. Fix the expression so every item has a value (e.g. {{ $json.customerId }} ` +
		"needs a customerId field on the item), filter out items without one before this node, or set 'Memory Scope' to This Workflow."
	);
}
