import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription, type NodeOperationError } from 'n8n-workflow';

import type { BlobStore } from '../../../../../lib/storage';
import { executeManageMemory } from '../../../../../nodes/AgentNode/memory/manage-memory';
import { memoryFromParameters } from '../../../../../nodes/AgentNode/memory/memory-from-parameters';
import { memoryProperties } from '../../../../../nodes/AgentNode/memory/memory-parameters';

/** The store the node uses; the test sets it before each workflow run. */
export const memoryTestStorage: { store?: BlobStore; prefix: string } = { prefix: '' };

/**
 * Stands in for the Durable AI Agent with the real memory parameters and helpers: in Run mode each
 * item builds its memory, optionally calls `remember` with 'Remember', records an episode and outputs
 * the prompt block for 'Task'; Manage Memory mode runs the real operation.
 */
export class MemoryTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Memory (test)',
		name: 'memoryTest',
		group: ['transform'],
		version: 1,
		description: 'Runs the Durable AI Agent memory helpers without a model',
		defaults: { name: 'Memory' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				options: [
					{ name: 'Run Agent', value: 'run' },
					{ name: 'Manage Memory', value: 'manageMemory' },
				],
				default: 'run',
			},
			{ displayName: 'Task', name: 'task', type: 'string', default: '' },
			{ displayName: 'Remember', name: 'remember', type: 'string', default: '' },
			...memoryProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { store, prefix } = memoryTestStorage;
		if (store === undefined) throw new Error('Set memoryTestStorage.store before running the workflow.');
		if (this.getNodeParameter('mode', 0) === 'manageMemory') return await executeManageMemory(this, { store, prefix });

		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			try {
				const memory = memoryFromParameters(this, itemIndex, { store, prefix });
				if (memory === undefined) {
					output.push({ json: { memory: 'off' }, pairedItem: { item: itemIndex } });
					continue;
				}
				const content = this.getNodeParameter('remember', itemIndex, '') as string;
				const remember = memory.tools.find((tool) => tool.name === 'remember');
				const remembered = content !== '' && remember !== undefined ? String(await remember.execute({ content }, { toolCallId: `call-${itemIndex}`, signal: new AbortController().signal })) : undefined;
				const task = this.getNodeParameter('task', itemIndex, '') as string;
				const promptBlock = await memory.promptBlock(task);
				const episodeWarning = await memory.recordEpisode({ runId: `run-${itemIndex}`, task, status: 'done', answer: 'ok', toolsUsed: [] });
				output.push({ json: { tools: memory.tools.map((tool) => tool.name), remembered, promptBlock, episodeWarning }, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				const nodeError = error as NodeOperationError;
				output.push({ json: { error: nodeError.message, description: nodeError.description ?? undefined }, pairedItem: { item: itemIndex } });
			}
		}
		return [output, []];
	}
}
