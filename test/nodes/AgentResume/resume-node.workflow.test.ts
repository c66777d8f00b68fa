import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { WAIT_INDEFINITELY, type IDataObject } from 'n8n-workflow';

import { decisionField, noAnswer, noDecisionReason, type PausedItemJson, type WaitRecord } from '../../../lib/resume';
import { createLocalDiskStore } from '../../../lib/storage';
import { waitRecordKey } from '../../../lib/storage/keys';
import { DurableAgentResume } from '../../../nodes/AgentResume/DurableAgentResume.node';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { outputJson, resumeWorkflow, runWorkflow, type RunWorkflowOptions } from '../../support/n8n/run-workflow';
import { approvalCall, pauseAgentRun, questionCall, resumeNodeLocation, testIds } from './support/paused-runs';
import { approvalQuery, useResumeTestbed } from './support/resume-testbed';
import { TimeoutStandInNode } from './support/timeout-stand-in-node';

const testbed = useResumeTestbed();

/** Paused items → Resume → the agent's input side, as in the real loop (the agent is played by a stand-in). */
function workflow(paused: PausedItemJson[], resumeParameters: IDataObject = {}, localFolder = testbed.folder): RunWorkflowOptions {
	const storage = { storage: 'localDisk', options: { localFolder } };
	return {
		nodeTypes: [StartTestNode, DurableAgentResume, TimeoutStandInNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{ name: 'Wait for approval', id: testIds.resumeNodeId, type: 'durableAgentResume', parameters: { ...storage, ...resumeParameters } },
			{ name: 'Agent input', type: 'agentInputTest', parameters: storage },
		],
		connections: {
			Start: { main: [[{ node: 'Wait for approval', type: 'main', index: 0 }]] },
			'Wait for approval': { main: [[{ node: 'Agent input', type: 'main', index: 0 }]] },
		},
		inputItems: paused as unknown as IDataObject[],
		executionId: testIds.executionId,
		workflowId: testIds.workflowId,
	};
}

async function readWaitRecord(): Promise<WaitRecord> {
	return JSON.parse(String(await testbed.store.get(waitRecordKey(resumeNodeLocation(testbed.prefix))))) as WaitRecord;
}


describe('Durable AI Agent Resume in a workflow', () => {
	it('puts the execution to wait, records what the approval page needs, and returns its input', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')], lastMessage: 'Booking TP 1351.' });

		const result = await runWorkflow(workflow([paused]));

		expect(result.status).toBe('waiting');
		expect(result.run.waitTill).toEqual(WAIT_INDEFINITELY);
		expect(outputJson(result, 'Wait for approval')).toEqual([paused]);
		expect(result.nodeRuns['Agent input']).toBeUndefined();
		const record = await readWaitRecord();
		expect(record).toEqual({
			waitId: expect.any(String),
			workflowId: testIds.workflowId,
			workflowName: 'Test workflow',
			executionId: testIds.executionId,
			resumeNodeName: 'Wait for approval',
			createdAt: expect.any(String),
			items: [{ agentNodeName: 'Start', reference: paused.reference, pending: paused.pending, lastMessage: 'Booking TP 1351.' }],
		});
	});

	it('keeps which pause of its run each item is and the run\'s estimated cost, for the approval page', async () => {
		const paused = { ...(await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] })), pauseNumber: 2, costUsd: 0.0042 };

		await runWorkflow(workflow([paused]));

		expect((await readWaitRecord()).items).toEqual([expect.objectContaining({ reference: paused.reference, pauseNumber: 2, costUsd: 0.0042 })]);
	});

	it('waits until the time limit when one is set', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });

		const result = await runWorkflow(workflow([paused], { limitWaitTime: true, resumeAmount: 2, resumeUnit: 'hours' }));

		const record = await readWaitRecord();
		expect(Date.parse(record.expiresAt ?? '') - Date.parse(record.createdAt)).toBe(2 * 60 * 60 * 1000);
		expect(result.run.waitTill?.toISOString()).toBe(record.expiresAt);
	});

	it('refuses items that are not paused items of the agent, saying which output to connect', async () => {
		const result = await runWorkflow({ ...workflow([]), inputItems: [{ text: 'hello' }] });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Item 1 is not a paused item of a Durable AI Agent');
		expect(result.error?.description).toContain('"Needs approval" output');
	});

	it('refuses paused items of another execution', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')], executionId: 'execution-earlier' });

		const result = await runWorkflow(workflow([paused]));

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Paused item 1 belongs to another execution (execution-earlier)');
	});

	it('refuses the same paused item twice', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });

		const result = await runWorkflow(workflow([paused, paused]));

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Paused item 2 is a copy of an earlier input item (pause ${paused.reference.pauseId})`);
	});

	it('refuses to wait when its storage is not the agent’s: the snapshot is not there', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const otherFolder = await mkdtemp(join(tmpdir(), 'durable-agent-other-'));
		try {
			const result = await runWorkflow(workflow([paused], {}, otherFolder));

			expect(result.status).toBe('error');
			expect(result.error?.message).toContain("The paused run's snapshot is gone");
			expect(result.error?.description).toContain('same Storage');
			expect(await createLocalDiskStore(otherFolder).list('')).toEqual([]);
		} finally {
			await rm(otherFolder, { recursive: true, force: true });
		}
	});

	it('continues the workflow with the decision items its webhook returns', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const options = workflow([paused]);
		const waiting = await runWorkflow(options);

		expect((await testbed.get(approvalQuery(paused.reference.token))).status).toBe(200);
		const decided = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token) });
		expect(decided.status).toBe(200);
		const decisionItems = (testbed.server.results[1].workflowData?.[0] ?? []).map((item) => item.json);
		const resumed = await resumeWorkflow(options, waiting, decisionItems);

		expect(resumed.status).toBe('success');
		expect(outputJson(resumed, 'Agent input')).toEqual([
			{ [decisionField]: { reference: paused.reference, decisions: [{ toolCallId: 'call_book', decision: 'approve' }], decidedAt: expect.any(String) } },
		]);
	});

	describe('when the time limit passes', () => {
		// n8n's wait tracker resumes the stored execution as it is: the waiting node is disabled and its
		// input passes through; `resumeWorkflow` with that same input plays it.
		const timeOut = async (options: RunWorkflowOptions, paused: PausedItemJson[]) =>
			await resumeWorkflow(options, await runWorkflow(options), paused as unknown as IDataObject[]);

		it('n8n passes the paused items through without calling the node again; Reject All turns them into rejections and "no answer"', async () => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book'), questionCall('call_ask', 'Window or aisle?')] });

			const resumed = await timeOut(workflow([paused], { limitWaitTime: true, resumeAmount: 1, resumeUnit: 'minutes', onTimeout: 'rejectAll' }), [paused]);

			expect(resumed.status).toBe('success');
			expect(outputJson(resumed, 'Wait for approval')).toEqual([paused]);
			expect(outputJson(resumed, 'Agent input')).toEqual([
				{
					[decisionField]: {
						reference: paused.reference,
						decisions: [
							{ toolCallId: 'call_book', decision: 'reject', reason: noDecisionReason },
							{ toolCallId: 'call_ask', decision: 'answer', answer: noAnswer },
						],
						decidedAt: expect.any(String),
					},
				},
			]);
		});

		it('keeps decisions recorded in time, settles the rest, and a late decision can no longer count', async () => {
			const flight = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
			const hotel = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_hotel')] });
			const options = workflow([flight, hotel], { limitWaitTime: true, resumeAmount: 1, resumeUnit: 'minutes' });
			const waiting = await runWorkflow(options);
			const inTime = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(flight.reference.token) });
			expect(inTime.status).toBe(202);

			const resumed = await resumeWorkflow(options, waiting, [flight, hotel] as unknown as IDataObject[]);
			const late = await testbed.postJson({ decisions: [{ toolCallId: 'call_hotel', decision: 'approve' }] }, { query: approvalQuery(hotel.reference.token) });

			expect(outputJson(resumed, 'Agent input').map((item) => (item[decisionField] as { decisions: unknown }).decisions)).toEqual([
				[{ toolCallId: 'call_book', decision: 'approve' }],
				[{ toolCallId: 'call_hotel', decision: 'reject', reason: noDecisionReason }],
			]);
			expect(late.status).toBe(409);
		});

		it('Fail fails the items that nobody decided, naming the pause', async () => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });

			const resumed = await timeOut(workflow([paused], { limitWaitTime: true, resumeAmount: 1, resumeUnit: 'minutes', onTimeout: 'fail' }), [paused]);

			expect(resumed.status).toBe('error');
			expect(resumed.error?.message).toBe(`No decision arrived before the time limit for pause ${paused.reference.pauseId} of run ${paused.runId} (book_flight (call_book)).`);
		});
	});
});
