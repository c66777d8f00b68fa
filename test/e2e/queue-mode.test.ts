import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runRecordSchema, runStatusAt } from '../../lib/engine';
import { createS3Store, loadSigningSecret } from '../../lib/storage';
import { startLocalS3, type LocalS3 } from '../support/s3-test-servers';
import { startConversationLlmServer, type ConversationLlmServer } from './support/conversation-llm-server';
import { nodeOutput, nodeRunCount } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { describeProcess, startQueueModeCluster, type QueueModeCluster, type QueueProcess } from './support/queue-mode-cluster';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { openBucket, pauseAndContinuation, readStoredRuns, transcriptProblems, writingProcesses, type Bucket, type StoredRun } from './support/stored-runs';
import { caseIdOfCall, caseRequest, decide, supportCaseModel, ticketCallId, ticketCallsOf, type DecisionChannel } from './support/support-cases';
import { agentNodeName, asRecoveryWorkflow, deploySupportWorkflow, pausedItems, requestSupport, resumeNodeName, ticketToolName } from './support/support-workflow';
import { postToWebhook } from './support/webhooks';
import { addCredential, findNode, setParameters, webhookPath, type Workflow } from './support/workflows';

/**
 * Example 2 on a queue-mode n8n (PostgreSQL, Redis, a main process, a webhook process and two
 * workers), storing runs in an S3-protocol bucket: many executions pause and continue on whichever
 * worker takes them up, a worker is killed in the middle of a tool call, and nothing is lost or
 * done twice. Which process did what is read from the `process` the package stamps on each record.
 */

const bucketName = 'durable-agent-queue';
const keyPrefix = 'durable-agent';

let cluster: QueueModeCluster;
let llm: ConversationLlmServer;
let tickets: RecordingServer;
let s3: LocalS3;
let s3Folder: string;
let bucket: Bucket;
let workflow: Workflow;
let diskWorkflow: Workflow;
let recoveryWorkflow: Workflow;

beforeAll(async () => {
	s3Folder = mkdtempSync(join(tmpdir(), 'durable-agent-e2e-queue-s3-'));
	s3 = await startLocalS3(s3Folder, [bucketName]);
	bucket = openBucket(s3.endpoint, bucketName);
	llm = await startConversationLlmServer(supportCaseModel);
	tickets = await startRecordingServer();
	cluster = await startQueueModeCluster('queue-mode');
	const { openAiCompatible } = await createLlmCredentials(cluster.rest, llm);
	const s3Options = { endpoint: s3.endpoint, region: 'us-east-1', bucket: bucketName, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
	const s3Credential = await cluster.rest.createCredential({ name: 'Local S3', type: 'durableAgentS3Storage', data: { ...s3Options, keyPrefix } });
	const onS3 = (support: Workflow) => {
		for (const nodeName of [agentNodeName, resumeNodeName]) {
			if (!support.nodes.some((node) => node.name === nodeName)) continue;
			setParameters(support, nodeName, { storage: 's3', options: { localFolder: undefined } });
			addCredential(support, nodeName, 'durableAgentS3Storage', s3Credential);
		}
	};
	workflow = await deploySupportWorkflow({ n8n: cluster, credential: openAiCompatible, tickets, customize: onS3 });
	recoveryWorkflow = await deploySupportWorkflow({ n8n: cluster, credential: openAiCompatible, tickets, customize: (support) => (asRecoveryWorkflow(support), onS3(support)) });
	diskWorkflow = await deploySupportWorkflow({ n8n: cluster, credential: openAiCompatible, tickets, customize: asSecondWorkflow });
	// s3rver ignores "only if absent", so twenty first runs at once could each store their own
	// approval-signing secret and sign with one another overwrote. On S3, R2 or MinIO the first
	// write wins; storing the secret first, as the first run anywhere would, stands in for that.
	await loadSigningSecret(createS3Store(s3Options), keyPrefix);
});

afterAll(async () => {
	await cluster?.stop();
	bucket?.close();
	await tickets?.close();
	await llm?.close();
	await s3?.close();
	if (s3Folder !== undefined) rmSync(s3Folder, { recursive: true, force: true });
});

/** The example again under its own id and webhook path, on Local Disk (as deploySupportWorkflow sets it up). */
function asSecondWorkflow(support: Workflow): void {
	support.id = 'durableAgentEx2disk';
	const trigger = findNode(support, 'Support Request');
	trigger.webhookId = '3f6c1d8e-2b4a-4e7f-9c1d-5a6b7c8d9e31';
	trigger.parameters = { ...trigger.parameters, path: 'durable-agent/support-request-local-disk' };
}

const webhookProcess = () => ({ url: cluster.webhook.url });
const workerLabels = () => cluster.workers.map((worker) => worker.processLabel);

type PausedCase = { caseId: string; executionId: string; approvalUrl: string; token: string; pausedOn: string };

/** Sends every case's request through the webhook process at once and waits until each execution waits for its decision. */
async function pauseCases(caseIds: string[]): Promise<PausedCase[]> {
	const started = await Promise.all(caseIds.map((caseId) => requestSupport(webhookProcess(), workflow, caseRequest(caseId))));
	return await Promise.all(
		started.map(async ({ executionId, approvalUrl }, index) => {
			const [paused] = pausedItems(await cluster.executions.waitForStatus(executionId, ['waiting']));
			const [run] = await storedRuns(executionId);
			return { caseId: caseIds[index], executionId, approvalUrl, token: paused.reference.token, pausedOn: pauseAndContinuation(run).pausedOn ?? 'nobody' };
		}),
	);
}

async function storedRuns(executionId: string): Promise<StoredRun[]> {
	return await readStoredRuns(bucket, `${keyPrefix}/workflows/${workflow.id}/executions/${executionId}/nodes/${findNode(workflow, agentNodeName).id}/`);
}

async function within<Value>(promise: Promise<Value>, milliseconds: number, what: string): Promise<Value> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${milliseconds / 1000} s.`)), milliseconds)));
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

describe('Durable AI Agent on a queue-mode n8n (main, webhook process, two workers, S3 storage)', () => {
	it('pauses 20 concurrent executions and continues each one once, often on another worker, with complete transcripts and every approved ticket opened exactly once', async () => {
		const caseIds = Array.from({ length: 20 }, (_, index) => `burst-${String(index + 1).padStart(2, '0')}`);
		const channels: DecisionChannel[] = ['json via webhook process', 'json via main', 'form via webhook process'];
		const plan = caseIds.map((caseId, index) => ({ caseId, channel: channels[index % channels.length], decision: index % 5 === 4 ? ('reject' as const) : ('approve' as const) }));

		const paused = await pauseCases(caseIds);

		expect(paused.every(({ approvalUrl }) => approvalUrl.startsWith(cluster.webhook.url))).toBe(true);
		expect(tickets.calls).toEqual([]);
		const answers = await Promise.all(plan.map(({ channel, decision }, index) => decide(channel, { ...paused[index], mainUrl: cluster.main.url }, decision)));
		const finished = await Promise.all(
			paused.map(({ executionId }, index) =>
				answers[index].status === 200 ? cluster.executions.waitForStatus(executionId, ['success', 'error', 'crashed']) : cluster.executions.get(executionId),
			),
		);
		const runs = await Promise.all(paused.map(async ({ executionId }) => await storedRuns(executionId)));

		// One row per case, compared at once, so a failure shows every case that went wrong and how.
		const observed = plan.map(({ caseId, channel, decision }, index) => {
			const [run] = runs[index];
			const answer = answers[index];
			return {
				case: `${caseId} (${decision}, ${channel})`,
				answer: answer.status === 200 ? 200 : `${answer.status} ${answer.text.slice(0, 300)}`,
				execution: finished[index].status,
				storedRuns: runs[index].length,
				record: run?.record.status,
				transcriptProblems: run === undefined ? ['no run stored'] : transcriptProblems(run, { finished: true }),
				turns: run?.turns.length,
				ticketCalls: ticketCallsOf(tickets.calls, caseId).length,
				journal: run?.journal.get(ticketCallId(caseId)),
				result: nodeRunCount(finished[index], 'Result') === 0 ? undefined : nodeOutput(finished[index], 'Result')[0]?.answer,
				// The agent runs only on workers: main and the webhook process serve the decisions, never the run.
				writtenOutsideWorkers: run === undefined ? [] : writingProcesses(run).filter((label) => !workerLabels().includes(label)).map((label) => describeProcess(cluster, label)),
			};
		});
		expect(observed).toEqual(
			plan.map(({ caseId, channel, decision }) => ({
				case: `${caseId} (${decision}, ${channel})`,
				answer: 200,
				execution: 'success',
				storedRuns: 1,
				record: 'done',
				transcriptProblems: [],
				turns: 2,
				ticketCalls: decision === 'approve' ? 1 : 0,
				journal: decision === 'approve' ? { intent: true, result: true } : undefined,
				result: expect.stringContaining(`[${caseId}] ${decision === 'approve' ? 'Ticket opened' : 'No ticket'}`),
				writtenOutsideWorkers: [],
			})),
		);
		expect(llm.failures).toEqual([]);
		expect(tickets.calls).toHaveLength(plan.filter(({ decision }) => decision === 'approve').length);
		const movedRuns = runs.filter(([run]) => {
			const { pausedOn, continuedOn } = pauseAndContinuation(run);
			return pausedOn !== undefined && continuedOn !== undefined && pausedOn !== continuedOn;
		});
		process.stderr.write(`[e2e] queue mode: ${movedRuns.length} of ${runs.length} runs continued on another worker than the one that paused them.\n`);
		expect(movedRuns.length).toBeGreaterThan(0);
	});

	it('survives a worker killed in the middle of a tool call: that run reads as interrupted, is recovered from its pause without repeating the call, and the other runs finish', async () => {
		const paused = await pauseCases(Array.from({ length: 8 }, (_, index) => `kill-${index + 1}`));
		const hold = tickets.holdCalls((call) => caseIdOfCall(call)?.startsWith('kill-') === true);
		const approve = async (target: PausedCase) => {
			const answer = await decide('json via webhook process', { ...target, mainUrl: cluster.main.url }, 'approve');
			if (answer.status !== 200) throw new Error(`Approving ${target.caseId} was answered with HTTP ${answer.status}: ${answer.text}`);
		};
		// Approve one case at a time, each tool call held at the ticket system, until a held run sits on
		// each worker: the runs on one will crash with it, those on the other must not notice.
		const held: Array<PausedCase & { runningOn: string }> = [];
		const waiting = [...paused];
		let victim: QueueProcess;
		try {
			while (new Set(held.map(({ runningOn }) => runningOn)).size < cluster.workers.length) {
				const next = waiting.shift();
				if (next === undefined) throw new Error(`All ${held.length} continued runs went to ${describeProcess(cluster, held[0].runningOn)}.`);
				await approve(next);
				await within(tickets.callArrived((call) => caseIdOfCall(call) === next.caseId), 30_000, `The ticket call of ${next.caseId}`);
				const [run] = await storedRuns(next.executionId);
				held.push({ ...next, runningOn: String(run.record.process) });
			}
			// The worker more of the still waiting runs paused on: they must continue on the other one.
			const pausedOn = (worker: QueueProcess) => waiting.filter(({ pausedOn }) => pausedOn === worker.processLabel).length;
			victim = [...cluster.workers].sort((left, right) => pausedOn(right) - pausedOn(left))[0];
			victim.kill();
			expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
		} finally {
			hold.release();
		}
		const victimLabel = victim.processLabel;
		const crashed = held.filter(({ runningOn }) => runningOn === victimLabel);
		const survivors = held.filter(({ runningOn }) => runningOn !== victimLabel);
		await Promise.all(waiting.map(approve));

		const finishedOthers = await Promise.all([...survivors, ...waiting].map(({ executionId }) => cluster.executions.waitForStatus(executionId, ['success', 'error', 'crashed'])));
		expect(finishedOthers.map((execution) => execution.status)).toEqual([...survivors, ...waiting].map(() => 'success'));
		// n8n fails the job of a killed worker once Bull's lock on it expires: about 40 s with the cluster's lock settings.
		await Promise.all(crashed.map(({ executionId }) => cluster.executions.waitForStatus(executionId, ['error', 'crashed'], 150_000)));

		for (const { caseId, executionId } of crashed) {
			const [run] = await storedRuns(executionId);
			// As the dead worker last wrote it: running on that worker, its lease run out, so it reads as
			// interrupted; the tool call started and never finished.
			const record = runRecordSchema.parse(run.record);
			expect({ caseId, stored: record.status, reads: runStatusAt(record, Date.now()), process: record.process }).toEqual({ caseId, stored: 'running', reads: 'interrupted', process: victimLabel });
			expect({ caseId, journal: run.journal.get(ticketCallId(caseId)) }).toEqual({ caseId, journal: { intent: true, result: false } });
			expect({ caseId, problems: transcriptProblems(run, { finished: false }), turns: run.turns.map((turn) => turn.turn) }).toEqual({ caseId, problems: [], turns: [1] });
		}
		for (const { caseId, executionId } of [...survivors, ...waiting]) {
			const [run] = await storedRuns(executionId);
			expect({ caseId, status: run.record.status, problems: transcriptProblems(run, { finished: true }), journal: run.journal.get(ticketCallId(caseId)) }).toEqual({
				caseId,
				status: 'done',
				problems: [],
				journal: { intent: true, result: true },
			});
			expect({ caseId, continuedOn: pauseAndContinuation(run).continuedOn }).not.toEqual({ caseId, continuedOn: victimLabel });
		}
		// Deciding a crashed execution again is refused by n8n before any node code runs: it replaced the
		// execution's data, resume token included, with the failure (401 Invalid token; 409 once it has none).
		const callsBefore = tickets.calls.length;
		const replay = await decide('json via webhook process', { ...crashed[0], mainUrl: cluster.main.url }, 'approve');
		expect([401, 409]).toContain(replay.status);
		expect(tickets.calls).toHaveLength(callsBefore);
		// Recovery, as the README describes it: the stored decision record goes to a workflow whose agent
		// continues the pause (Continue Paused Run). The started call is not run again; the model hears
		// its outcome is unknown, and the run ends done.
		for (const { caseId, executionId } of crashed) {
			const [run] = await storedRuns(executionId);
			const decisionRecord = JSON.parse(await bucket.text(`${run.folder}decisions/${String(run.record.resumedFrom)}.json`)) as unknown;
			const answer = await postToWebhook(cluster.webhook.url, webhookPath(recoveryWorkflow), decisionRecord);
			expect({ caseId, status: answer.status, answer: answer.text }).toEqual({ caseId, status: 200, answer: expect.stringContaining(`[${caseId}] No ticket: Tool '${ticketToolName}' was started earlier but its outcome was not recorded`) });
			const [recovered] = await storedRuns(executionId);
			expect({ caseId, status: recovered.record.status, problems: transcriptProblems(recovered, { finished: true }), turns: recovered.turns.map((turn) => turn.turn), journal: recovered.journal.get(ticketCallId(caseId)) }).toEqual({
				caseId,
				status: 'done',
				problems: [],
				turns: [1, 2],
				journal: { intent: true, result: false },
			});
			expect(recovered.record.process).not.toBe(victimLabel);
		}
		// Every approved ticket was opened exactly once: the recovery did not open the crashed cases' again.
		for (const { caseId } of paused) expect({ caseId, ticketCalls: ticketCallsOf(tickets.calls, caseId).length }).toEqual({ caseId, ticketCalls: 1 });
		const pausedOnVictim = waiting.filter(({ pausedOn }) => pausedOn === victimLabel);
		expect(pausedOnVictim.length).toBeGreaterThan(0);
		process.stderr.write(
			`[e2e] queue mode crash: ${crashed.length} run(s) died with ${victim.name}, ${survivors.length} ran on the other worker meanwhile, ` +
				`${waiting.length} continued after the crash (${pausedOnVictim.length} of them had paused on the killed worker).\n`,
		);
		expect(llm.failures).toEqual([]);
	});

	it('warns on the Done output when a run stores on local disk in queue mode', async () => {
		const response = await postToWebhook(cluster.webhook.url, webhookPath(diskWorkflow), caseRequest('direct-1'));

		expect(response.status).toBe(200);
		const execution = await cluster.executions.waitForNext(diskWorkflow.id, undefined, ['success', 'error']);
		expect(execution.status).toBe('success');
		const [done] = nodeOutput(execution, agentNodeName);
		expect(done).toMatchObject({ status: 'done', output: '[direct-1] Please restart the printer.' });
		expect(done.warnings).toEqual([expect.stringContaining('queue mode')]);
	});
});
