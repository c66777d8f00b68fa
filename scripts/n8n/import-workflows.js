'use strict';
// Imports workflow files into a stopped local n8n (the CLI and a running
// server must not share the database) and publishes them. Runs on every
// start, so edits to the files show up after a restart.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCommand } = require('./run-command');
const { n8nEnvironment } = require('./n8n-environment');

/**
 * Re-importing a file without an id would add a copy on every start, so such
 * files get an id derived from their file name: stable, and unique per file.
 */
function stableWorkflowId(fileName) {
	return crypto.createHash('sha256').update(fileName).digest('hex').slice(0, 16);
}

/** Reads `directory/*.json` as workflows, each with an id. */
function readWorkflowFiles(directory) {
	if (!fs.existsSync(directory)) return [];
	return fs
		.readdirSync(directory)
		.filter((fileName) => fileName.endsWith('.json'))
		.sort()
		.map((fileName) => {
			const file = path.join(directory, fileName);
			let workflow;
			try {
				workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
			} catch (error) {
				throw new Error(`${file} is not valid JSON (${error.message}); fix or remove it.`);
			}
			if (typeof workflow !== 'object' || workflow === null || !Array.isArray(workflow.nodes)) {
				throw new Error(`${file} is not an n8n workflow (one workflow object with "nodes"); fix or remove it.`);
			}
			return { fileName, workflow: { ...workflow, id: workflow.id ?? stableWorkflowId(fileName) } };
		});
}

/**
 * Imports every `*.json` workflow in `directory` and publishes each one not
 * marked `"active": false`. A workflow the CLI refuses to publish is reported
 * and left unpublished. n8n must be stopped.
 *
 * @param {{ installation: import('./install-n8n').N8nInstallation, userFolder: string, directory: string, log: (message: string) => void, logFile: string,
 *   env?: Record<string, string>, signal?: AbortSignal }} options  aborting `signal` stops the CLI command in progress.
 * @returns {Promise<{ imported: string[], published: string[] }>} workflow ids
 */
async function importWorkflows({ installation, userFolder, directory, log, logFile, env, signal }) {
	const workflowFiles = readWorkflowFiles(directory);
	if (workflowFiles.length === 0) {
		log(`No workflows to import from ${directory}.`);
		return { imported: [], published: [] };
	}
	const runN8nCommand = (args, label) =>
		runCommand(installation.nodeBinary, [installation.n8nScript, ...args], {
			cwd: userFolder,
			env: n8nEnvironment({ installation, userFolder, env }),
			label,
			logFile,
			log,
			signal,
		});

	// The CLI imports every file of a folder; a private copy holds exactly the workflows, with their ids.
	const importDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-n8n-workflows-'));
	try {
		for (const { fileName, workflow } of workflowFiles) {
			fs.writeFileSync(path.join(importDirectory, fileName), JSON.stringify(workflow));
		}
		log(`Importing ${workflowFiles.length} workflow(s) from ${directory}…`);
		const importAll = () => runN8nCommand(['import:workflow', '--separate', `--input=${importDirectory}`], 'n8n import:workflow');
		try {
			await importAll();
		} catch (error) {
			if (signal?.aborted) throw error;
			// Importing over a published workflow unpublishes it first, as its owner, and n8n gives the
			// owner's role its permissions only when `n8n start` has run once. A local n8n whose first
			// start ended before that (a port taken, Ctrl-C) refuses with "You do not have permission to
			// deactivate this workflow". unpublish:workflow writes the database directly: after it
			// nothing needs deactivating, and the workflows are published again below.
			log(`The import failed (see ${logFile}). A local n8n whose first start never finished refuses to replace published workflows; unpublishing them and importing again…`);
			for (const { fileName, workflow } of workflowFiles) {
				// A workflow not imported yet cannot be unpublished (and needs not be).
				await runN8nCommand(['unpublish:workflow', `--id=${workflow.id}`], `n8n unpublish:workflow ${fileName}`).catch((unpublishError) => {
					if (signal?.aborted) throw unpublishError;
				});
			}
			await importAll();
		}
	} finally {
		fs.rmSync(importDirectory, { recursive: true, force: true });
	}

	const published = [];
	for (const { fileName, workflow } of workflowFiles) {
		if (workflow.active === false) continue;
		try {
			await runN8nCommand(['publish:workflow', `--id=${workflow.id}`], `n8n publish:workflow ${fileName}`);
			published.push(workflow.id);
		} catch (error) {
			if (signal?.aborted) throw error;
			log(`Could not publish ${fileName} (id ${workflow.id}); it is imported but inactive. See ${logFile}.`);
		}
	}
	log(`Imported ${workflowFiles.length} workflow(s), published ${published.length}.`);
	return { imported: workflowFiles.map(({ workflow }) => workflow.id), published };
}

module.exports = { importWorkflows };
