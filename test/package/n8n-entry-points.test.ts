import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import packageJson from '../../package.json';

const root = join(__dirname, '..', '..');
const entryPoints = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials];

/**
 * Loads the built files the way n8n does: a fresh Node process `require`s each path listed in the
 * package's `n8n` block and instantiates the class named like the file. Runs on the built `dist/`,
 * so the test command builds first.
 */
function loadInFreshProcess(): { classes: Array<{ file: string; name: string; icon?: string | Record<string, string> }>; loadedSdks: string[] } {
	const script = `
		const path = require('node:path');
		const classes = [];
		for (const file of ${JSON.stringify(entryPoints)}) {
			const exported = require(path.join(${JSON.stringify(root)}, file));
			const className = path.basename(file).split('.')[0];
			const instance = new exported[className]();
			const description = instance.description ?? instance;
			classes.push({ file, name: description.name, icon: description.icon });
		}
		const sdks = ['@anthropic-ai/sdk', 'ai', '@ai-sdk/openai', '@aws-sdk/client-s3', 'ajv', 'zod-to-json-schema'];
		const loadedSdks = sdks.filter((sdk) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + sdk + '/')));
		process.stdout.write(JSON.stringify({ classes, loadedSdks }));
	`;
	return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}

describe('the built package, as n8n loads it', () => {
	it('has every file the n8n block lists, each exporting a class named like its file', () => {
		expect(entryPoints.length).toBeGreaterThan(0);
		for (const file of entryPoints) expect(existsSync(join(root, file))).toBe(true);

		const { classes } = loadInFreshProcess();

		expect(classes.map((loaded) => loaded.name)).toEqual(['durableAgent', 'durableAgentResume', 'durableAgentAnthropicApi', 'durableAgentOpenAiCompatibleApi', 'durableAgentS3Storage']);
		for (const loaded of classes) {
			// A node has a light and a dark icon (n8n's themed variants); a credential one.
			const icons = typeof loaded.icon === 'string' ? [loaded.icon] : Object.values(loaded.icon ?? {});
			expect(icons.length).toBeGreaterThan(0);
			for (const icon of icons) expect(existsSync(join(root, loaded.file, '..', icon.replace(/^file:/, '')))).toBe(true);
		}
	});

	it('does not load the provider and storage SDKs until a run needs them', () => {
		expect(loadInFreshProcess().loadedSdks).toEqual([]);
	});

	it('installs only what the built code loads (and ai, by decision): every other runtime dependency is named as a module in dist/', () => {
		const builtFiles = execFileSync('find', ['dist/credentials', 'dist/nodes', 'dist/lib', '-name', '*.js'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
		const builtCode = builtFiles.map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
		// `require('x')`, `require('x/sub')`, and module names kept in a table and required later (ajv's dialects).
		const isLoaded = (dependency: string) => {
			const name = dependency.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
			return new RegExp(`require\\(["']${name}(/[^"']*)?["']\\)|:\\s*["']${name}(/[^"']*)?["']\\s*[,}]`).test(builtCode);
		};

		// `ai` stays a runtime dependency by decision: the product brief names it beside @ai-sdk/openai,
		// whose provider interfaces the OpenAI-compatible adapter is built on. Nothing loads it at run time today.
		const keptByDecision = ['ai'];
		expect(Object.keys(packageJson.dependencies).filter((dependency) => !isLoaded(dependency) && !keptByDecision.includes(dependency))).toEqual([]);
	});

	it('is named and declared as an n8n community package', () => {
		expect(packageJson.name).toMatch(/^n8n-nodes-/);
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(entryPoints.every((file) => file.startsWith('dist/') && basename(file).endsWith('.js'))).toBe(true);
	});
});
