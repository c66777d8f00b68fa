import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createLocalDiskStore, createRunStore, type RunLocation } from '../../lib/storage';

// Files sent with a task live once per run and content, under the run's folder, named by their SHA-256.

const location: RunLocation = { prefix: 'agents', workflowId: 'wf', executionId: '9', nodeId: 'node', runId: 'run-1' };
let folder: string;
beforeEach(async () => {
	folder = await fs.mkdtemp(path.join(os.tmpdir(), 'run-store-attachments-'));
});
afterEach(() => fs.rm(folder, { recursive: true, force: true }));

it('stores a file under the run folder by its SHA-256 and reads the same bytes back', async () => {
	const blobs = createLocalDiskStore(folder);
	const store = createRunStore(blobs, location);
	const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
	const hash = createHash('sha256').update(image).digest('hex');

	const first = await store.writeAttachment(new Uint8Array(image), 'image/png');
	const second = await store.writeAttachment(image, 'image/png');

	expect([first, second]).toEqual([hash, hash]);
	expect(await blobs.list('agents/')).toEqual([`agents/workflows/wf/executions/9/nodes/node/runs/run-1/attachments/${hash}`]);
	expect(await store.readAttachment(hash)).toEqual(image);
});

it('reads nothing for a reference that is not a stored file of this run', async () => {
	const store = createRunStore(createLocalDiskStore(folder), location);
	await store.writeAttachment(Buffer.from('pdf'), 'application/pdf');
	const other = createRunStore(createLocalDiskStore(folder), { ...location, runId: 'run-2' });

	expect(await store.readAttachment('../run-2/secret')).toBeUndefined();
	expect(await store.readAttachment('0'.repeat(64))).toBeUndefined();
	expect(await other.readAttachment(createHash('sha256').update('pdf').digest('hex'))).toBeUndefined();
});
