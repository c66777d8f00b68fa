'use strict';
// Reads what the import needs from a stopped local n8n's SQLite database: the workflows' saved
// versions and the credentials' names and types. Through n8n's own sqlite3 driver and Node, in a
// child process: a query takes a fraction of a second, an n8n CLI command several.

const fs = require('node:fs');
const path = require('node:path');
const { runCommand } = require('./run-command');

const QUERY_SCRIPT = `
const sqlite3 = require('sqlite3');
const database = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY);
const all = (sql) => new Promise((resolve, reject) => database.all(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
Promise.all([
	all('SELECT id, name, versionId, activeVersionId FROM workflow_entity'),
	all('SELECT id, name, type FROM credentials_entity'),
]).then(([workflows, credentials]) => {
	process.stdout.write(JSON.stringify({ workflows, credentials }));
	database.close();
}, (error) => { console.error(error.message); process.exit(1); });
`;

/**
 * @typedef {{ workflows: Array<{ id: string, name: string, versionId: string, activeVersionId: string | null }>,
 *   credentials: Array<{ id: string, name: string, type: string }> }} N8nDatabaseContents
 * @param {{ installation: import('./install-n8n').N8nInstallation, userFolder: string, log: (message: string) => void, logFile: string, signal?: AbortSignal }} options
 * @returns {Promise<N8nDatabaseContents>} empty lists before n8n's first start created the database
 */
async function readN8nDatabase({ installation, userFolder, log, logFile, signal }) {
	const databaseFile = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(databaseFile)) return { workflows: [], credentials: [] };
	const output = await runCommand(installation.nodeBinary, ['-e', QUERY_SCRIPT, databaseFile], {
		cwd: installation.folder,
		env: process.env,
		label: 'read the n8n database',
		logFile,
		log,
		signal,
	});
	return JSON.parse(output);
}

module.exports = { readN8nDatabase };
