import { rmSync } from 'node:fs';

import { e2eEnvironment } from './e2e-environment';

/** Removes the packed package and template folder made by global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
	const workFolder = process.env[e2eEnvironment.workFolder];
	if (workFolder !== undefined) rmSync(workFolder, { recursive: true, force: true });
}
