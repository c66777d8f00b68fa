'use strict';
// Imports the example workflows into a stopped local n8n (the CLI and a running server must not
// share the database), pointed at this instance's credentials and ticket stand-in, and publishes
// those that can run. A workflow changed in the editor since its import is never replaced: a
// record in the local folder keeps the version each import left, and only workflows that are new,
// or unchanged since their import and different from what would be imported now, are imported.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCommand } = require('./run-command');
const { n8nEnvironment } = require('./n8n-environment');
const { readN8nDatabase } = require('./n8n-database');
const { prepareExample, readPackageFacts } = require('./prepare-example');

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

const contentHash = (workflow) => crypto.createHash('sha256').update(JSON.stringify(workflow)).digest('hex');

/** What the last imports left: per workflow id, the hash of what was imported and n8n's versionId after it. */
function readImportRecord(recordFile) {
	try {
		return JSON.parse(fs.readFileSync(recordFile, 'utf8'));
	} catch {
		return {};
	}
}

/**
 * Decides per workflow file: import (new, or unchanged since its import and different now),
 * keep (changed in n8n since its import, or there before any recorded import), or nothing to do.
 */
function planImports(prepared, database, record) {
	return prepared.map((entry) => {
		const stored = database.workflows.find((workflow) => workflow.id === entry.workflow.id);
		const imported = record[entry.workflow.id];
		if (stored === undefined) return { ...entry, action: 'import' };
		if (imported === undefined || stored.versionId !== imported.versionId) return { ...entry, action: 'keep' };
		return { ...entry, action: imported.contentHash === entry.contentHash ? 'current' : 'import' };
	});
}

/**
 * Imports what `planImports` selects from `directory/*.json` and publishes each imported workflow
 * whose credentials exist (and not marked `"active": false`). n8n must be stopped.
 *
 * @param {{ installation: import('./install-n8n').N8nInstallation, userFolder: string, directory: string, recordFile: string,
 *   packageRoot: string, ticketsOrigin: string, log: (message: string) => void, logFile: string,
 *   env?: Record<string, string>, signal?: AbortSignal }} options  aborting `signal` stops the CLI command in progress.
 * @returns {Promise<{ imported: string[], published: string[], kept: string[], waiting: Array<{ fileName: string, missing: string[] }> }>}
 *   `waiting`: examples imported or kept unpublished for want of a credential
 */
async function importWorkflows({ installation, userFolder, directory, recordFile, packageRoot, ticketsOrigin, log, logFile, env, signal }) {
	const workflowFiles = readWorkflowFiles(directory);
	const result = { imported: [], published: [], kept: [], waiting: [] };
	if (workflowFiles.length === 0) {
		log(`No workflows to import from ${directory}.`);
		return result;
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

	const database = await readN8nDatabase({ installation, userFolder, log, logFile, signal });
	const facts = readPackageFacts(packageRoot);
	const prepared = workflowFiles.map(({ fileName, workflow }) => {
		const example = prepareExample(workflow, { credentials: database.credentials, ticketsOrigin, facts });
		return { fileName, workflow: example.workflow, missing: example.missing, contentHash: contentHash(example.workflow) };
	});
	const record = readImportRecord(recordFile);
	const plan = planImports(prepared, database, record);
	for (const { fileName, workflow } of plan.filter((entry) => entry.action === 'keep')) {
		result.kept.push(workflow.id);
		log(`Kept "${workflow.name}" (${fileName}) as it is in n8n: it was changed there since it was imported. Delete it in n8n to get the example again.`);
	}
	const toImport = plan.filter((entry) => entry.action === 'import');
	if (toImport.length === 0) {
		log('The example workflows in n8n are up to date; nothing to import.');
		return result;
	}

	// The CLI imports every file of a folder; a private copy holds exactly the workflows, with their ids.
	const importDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-n8n-workflows-'));
	try {
		for (const { fileName, workflow } of toImport) {
			fs.writeFileSync(path.join(importDirectory, fileName), JSON.stringify(workflow));
		}
		log(`Importing ${toImport.length} workflow(s) from ${directory}…`);
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
			for (const { fileName, workflow } of toImport) {
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

	for (const { fileName, workflow, missing } of toImport) {
		result.imported.push(workflow.id);
		if (workflow.active === false) continue;
		if (missing.length > 0) {
			result.waiting.push({ fileName, missing });
			log(`"${workflow.name}" is imported but not published: it needs a ${missing.join(' and a ')} credential. Add it in n8n (Credentials → Add credential), then run bash scripts/start.sh again.`);
			continue;
		}
		try {
			await runN8nCommand(['publish:workflow', `--id=${workflow.id}`], `n8n publish:workflow ${fileName}`);
			result.published.push(workflow.id);
		} catch (error) {
			if (signal?.aborted) throw error;
			log(`Could not publish ${fileName} (id ${workflow.id}); it is imported but inactive. See ${logFile}.`);
		}
	}

	const after = await readN8nDatabase({ installation, userFolder, log, logFile, signal });
	for (const { workflow, contentHash: hash } of toImport) {
		const stored = after.workflows.find((candidate) => candidate.id === workflow.id);
		if (stored !== undefined) record[workflow.id] = { contentHash: hash, versionId: stored.versionId };
	}
	fs.mkdirSync(path.dirname(recordFile), { recursive: true });
	fs.writeFileSync(recordFile, `${JSON.stringify(record, null, '\t')}\n`);
	log(`Imported ${toImport.length} workflow(s), published ${result.published.length}.`);
	return result;
}

module.exports = { importWorkflows, planImports };
