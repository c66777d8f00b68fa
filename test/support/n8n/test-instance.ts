import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let prepared = false;

/**
 * n8n-core reads its instance settings (user folder, encryption key) through its DI container the
 * first time a node runs. Pointing N8N_USER_FOLDER at a temporary folder keeps tests away from a
 * developer's real ~/.n8n. One folder per jest worker, reused across runs: workers must not race
 * on n8n's settings file, and jest gives no reliable moment to delete a folder per run.
 * Must run before n8n-core first resolves InstanceSettings.
 */
export function prepareTestInstance(): void {
	if (prepared) return;
	const userFolder = join(tmpdir(), 'n8n-durable-agent-tests', `worker-${process.env.JEST_WORKER_ID ?? '1'}`);
	mkdirSync(userFolder, { recursive: true });
	process.env.N8N_USER_FOLDER = userFolder;
	// Node errors are asserted on, not read from the console.
	process.env.N8N_LOG_LEVEL ??= 'silent';
	prepared = true;
}
