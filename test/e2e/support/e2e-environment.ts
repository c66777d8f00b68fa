import { join } from 'node:path';

import { REPOSITORY_ROOT } from '../../../scripts/n8n/local-n8n';

/** Variables global-setup.ts sets for the suites (jest starts the suites' processes after it). */
export const e2eEnvironment = {
	installRoot: 'DURABLE_AGENT_E2E_INSTALL_ROOT',
	workFolder: 'DURABLE_AGENT_E2E_WORK_FOLDER',
	templateUserFolder: 'DURABLE_AGENT_E2E_TEMPLATE_USER_FOLDER',
} as const;

/** n8n logs and install logs of the last run, kept for reading after a failure (git-ignored). */
export const e2eLogFolder = join(REPOSITORY_ROOT, 'test-artifacts', 'e2e-logs');

/** Screenshots taken by the browser suites (git-ignored). */
export const screenshotFolder = join(REPOSITORY_ROOT, 'test-artifacts', 'screenshots');

/** Progress of slow steps, on stderr so it shows while jest runs. */
export function logProgress(message: string): void {
	process.stderr.write(`[e2e] ${message}\n`);
}

export function requiredEnvironment(name: (typeof e2eEnvironment)[keyof typeof e2eEnvironment]): string {
	const value = process.env[name];
	if (value === undefined || value === '') {
		throw new Error(`${name} is not set: run the end-to-end suites through jest, whose e2e project runs test/e2e/support/global-setup.ts first.`);
	}
	return value;
}
