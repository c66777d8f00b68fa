import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultInstallRoot, ensureN8nInstalled, installPackage } from '../../../scripts/n8n/local-n8n';
import { e2eEnvironment, e2eLogFolder, logProgress } from './e2e-environment';

/**
 * Runs once before the end-to-end suites: makes sure the pinned n8n is installed (minutes the first
 * time on a machine, then cached outside the clone), and builds, packs and installs this package
 * into a template nodes folder, the way users install it. Each suite copies that folder into its
 * own n8n user folder instead of repeating the npm install.
 */
export default async function globalSetup(): Promise<void> {
	const installRoot = defaultInstallRoot();
	await ensureN8nInstalled({ root: installRoot, log: logProgress });
	const workFolder = mkdtempSync(join(tmpdir(), 'durable-agent-e2e-'));
	const templateUserFolder = join(workFolder, 'template-user');
	await installPackage({ userFolder: templateUserFolder, log: logProgress, logFile: join(e2eLogFolder, 'package-install.log') });
	process.env[e2eEnvironment.installRoot] = installRoot;
	process.env[e2eEnvironment.workFolder] = workFolder;
	process.env[e2eEnvironment.templateUserFolder] = templateUserFolder;
}
