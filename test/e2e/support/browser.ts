import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { screenshotFolder } from './e2e-environment';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when it is missing). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which
// this machine's closed network refuses.
const chromiumFlags = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export type TestBrowser = { context: BrowserContext; close(): Promise<void> };

/** Headless Chromium with a new, empty profile that is deleted on close. */
export async function launchBrowser(): Promise<TestBrowser> {
	if (!existsSync(chromiumPath)) {
		throw new Error(`Chromium is not installed at ${chromiumPath}: run \`apt-get install chromium\` (scripts/test.sh does it), or set CHROMIUM_PATH.`);
	}
	const userDataDirectory = mkdtempSync(join(tmpdir(), 'durable-agent-e2e-chromium-'));
	try {
		const context = await chromium.launchPersistentContext(userDataDirectory, {
			executablePath: chromiumPath,
			headless: true,
			args: chromiumFlags,
			viewport: { width: 1440, height: 900 },
		});
		return {
			context,
			async close() {
				await context.close();
				rmSync(userDataDirectory, { recursive: true, force: true });
			},
		};
	} catch (error) {
		rmSync(userDataDirectory, { recursive: true, force: true });
		throw error;
	}
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
	mkdirSync(screenshotFolder, { recursive: true });
	const path = join(screenshotFolder, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

/** What went wrong in a page: uncaught errors, console errors and failed HTTP responses. */
export type PageProblems = { scriptErrors: string[]; consoleErrors: string[]; failedResponses: string[]; clear(): void };

export function watchPage(page: Page): PageProblems {
	const problems: PageProblems = {
		scriptErrors: [],
		consoleErrors: [],
		failedResponses: [],
		clear() {
			problems.scriptErrors.length = 0;
			problems.consoleErrors.length = 0;
			problems.failedResponses.length = 0;
		},
	};
	page.on('pageerror', (error) => problems.scriptErrors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') problems.consoleErrors.push(message.text());
	});
	page.on('response', (response) => {
		if (response.status() >= 400) problems.failedResponses.push(`${response.status()} ${new URL(response.url()).pathname}`);
	});
	return problems;
}
