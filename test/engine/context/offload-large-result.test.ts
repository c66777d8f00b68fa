import { defaultContextPolicy } from '../../../lib/engine/context/context-policy';
import { offloadLargeToolResult, storedOutputPreviewCharacters } from '../../../lib/engine/context/offload-large-result';
import { createReadToolOutputTool, maxReadCharacters } from '../../../lib/engine/context/read-tool-output-tool';
import { findStoredOutputNote, type ToolOutputStore } from '../../../lib/engine/context/stored-output-note';
import { validateToolInput } from '../../../lib/engine/tools/validate-tool-input';
import { createMemoryStore, createRunStore, toolOutputKey, type RunLocation } from '../../../lib/storage';
import { toolResult } from './conversation';

const policy = defaultContextPolicy(200_000);
const location: RunLocation = { prefix: 'agents', workflowId: 'wf', executionId: '7', nodeId: 'node', runId: 'run-1' };
const context = { toolCallId: 'call_read', signal: new AbortController().signal };

/** 30 000 characters of numbered lines, so any slice shows where it came from. */
const largeOutput = Array.from({ length: 1_000 }, (_value, index) => `line ${String(index).padStart(4, '0')} ${'.'.repeat(19)}`).join('\n');

function setUp() {
	const blobs = createMemoryStore();
	const runStore = createRunStore(blobs, location);
	return { blobs, runStore, readTool: createReadToolOutputTool(runStore) };
}

describe('offloadLargeToolResult', () => {
	test('a result over the limit is stored whole and replaced by its head and a note naming the reference', async () => {
		const { blobs, runStore } = setUp();
		const result = toolResult('call_1', largeOutput);
		const offloaded = await offloadLargeToolResult(result, runStore, policy);

		expect((await blobs.get(toolOutputKey(location, 'call_1')))?.toString('utf8')).toBe(largeOutput);
		expect(offloaded).toEqual({ ...result, output: expect.stringMatching(/^line 0000/) });
		expect(offloaded.output.startsWith(largeOutput.slice(0, storedOutputPreviewCharacters))).toBe(true);
		expect(offloaded.output.length).toBeLessThan(storedOutputPreviewCharacters + 300);
		expect(offloaded.output.split('\n').at(-1)).toBe(
			`[Stored output: ${largeOutput.length} characters in total. Read more with read_tool_output, reference "call_1", offset 2000 (the first 2000 characters are shown above).]`,
		);
		expect(findStoredOutputNote(offloaded.output)).toEqual({ reference: 'call_1', totalCharacters: largeOutput.length });
	});

	test('a result within the limit, error or not, is returned as it is and nothing is stored', async () => {
		const writes: string[] = [];
		const port: Pick<ToolOutputStore, 'writeToolOutput'> = { writeToolOutput: async (id) => (writes.push(id), id) };
		const atLimit = toolResult('call_2', 'x'.repeat(policy.largeToolResultCharacters));
		const failed = { ...toolResult('call_3', 'Tool failed: timeout'), isError: true };

		expect(await offloadLargeToolResult(atLimit, port, policy)).toBe(atLimit);
		expect(await offloadLargeToolResult(failed, port, policy)).toBe(failed);
		expect(writes).toEqual([]);
	});

	test('a page read back with read_tool_output is not stored again', async () => {
		const writes: string[] = [];
		const port: Pick<ToolOutputStore, 'writeToolOutput'> = { writeToolOutput: async (id) => (writes.push(id), id) };
		const page = toolResult('call_4', 'y'.repeat(30_000), 'read_tool_output');

		expect(await offloadLargeToolResult(page, port, { largeToolResultCharacters: 10_000 })).toBe(page);
		expect(writes).toEqual([]);
	});

	test('a storage failure is thrown, not hidden in the result', async () => {
		const port = { writeToolOutput: async () => Promise.reject(new Error('disk full')) };
		await expect(offloadLargeToolResult(toolResult('call_5', largeOutput), port, policy)).rejects.toThrow('disk full');
	});
});

describe('read_tool_output', () => {
	test('the model pages through a stored output from where the preview stops to the end', async () => {
		const { runStore, readTool } = setUp();
		const offloaded = await offloadLargeToolResult(toolResult('call_1', largeOutput), runStore, policy);
		const note = findStoredOutputNote(offloaded.output)!;

		let offset = storedOutputPreviewCharacters;
		let readBack = offloaded.output.slice(0, storedOutputPreviewCharacters);
		for (;;) {
			const page = String(await readTool.execute({ reference: note.reference, offset }, context));
			const [header, ...body] = page.split('\n');
			readBack += body.join('\n');
			const next = /continue with offset (\d+)/.exec(header);
			if (!next) {
				expect(header).toBe(`[Characters ${offset} to ${largeOutput.length} of ${largeOutput.length}. This is the end of the output.]`);
				break;
			}
			expect(header).toBe(`[Characters ${offset} to ${Number(next[1])} of ${largeOutput.length}. ${largeOutput.length - Number(next[1])} more: continue with offset ${next[1]}.]`);
			offset = Number(next[1]);
		}
		expect(readBack).toBe(largeOutput);
	});

	test('offset and length pick the slice; reading past the end returns nothing more', async () => {
		const { runStore, readTool } = setUp();
		await runStore.writeToolOutput('call_9', 'abcdefghij');

		expect(await readTool.execute({ reference: 'call_9', offset: 2, length: 3 }, context)).toBe('[Characters 2 to 5 of 10. 5 more: continue with offset 5.]\ncde');
		expect(await readTool.execute({ reference: 'call_9', offset: 50 }, context)).toBe('[Characters 10 to 10 of 10. This is the end of the output.]\n');
	});

	test('an unknown reference is an error the model can read and correct', async () => {
		const { readTool } = setUp();
		await expect(readTool.execute({ reference: 'call_nope' }, context)).rejects.toThrow(
			'No stored output has the reference "call_nope". Use the reference exactly as the note at the end of the shortened result gives it.',
		);
		// A reference that could not even be a storage key names nothing either.
		await expect(readTool.execute({ reference: '\ud800' }, context)).rejects.toThrow('No stored output has the reference');
	});

	test('its input schema refuses what the model must not send, and it is safe to run concurrently', () => {
		const { readTool } = setUp();
		expect(readTool.name).toBe('read_tool_output');
		expect(readTool.concurrencySafe).toBe(true);
		expect(validateToolInput(readTool, { reference: 'call_1', offset: 0, length: maxReadCharacters }).ok).toBe(true);
		expect(validateToolInput(readTool, { offset: 0 }).ok).toBe(false);
		expect(validateToolInput(readTool, { reference: 'call_1', length: maxReadCharacters + 1 }).ok).toBe(false);
		expect(validateToolInput(readTool, { reference: 'call_1', offset: -1 }).ok).toBe(false);
	});
});
