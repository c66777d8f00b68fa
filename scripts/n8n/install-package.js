'use strict';
// Installs this repository's package into an n8n user folder the way users get
// it: build, `npm pack`, then `npm install <tarball>` in `.n8n/nodes`, where
// n8n looks for community packages at start-up. Packing (rather than linking
// the source) proves the published file list is enough.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCommand } = require('./run-command');
const { withNodeFirstOnPath } = require('./install-n8n');

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Builds and packs `packageRoot`, then installs the tarball into
 * `<userFolder>/.n8n/nodes`. n8n must be restarted to load a new build.
 *
 * @param {{ userFolder: string, log: (message: string) => void, logFile: string, packageRoot?: string, tarball?: string, signal?: AbortSignal }} options
 *   `tarball`: install this already packed file instead of building and packing `packageRoot`;
 *   aborting `signal` stops the npm command in progress.
 * @returns {Promise<{ name: string, version: string, installedFolder: string }>}
 */
async function installPackage({ userFolder, log, logFile, packageRoot = REPOSITORY_ROOT, tarball, signal }) {
	// npm scripts find the project's Node 24 first anyway; this also covers `npm pack` and `npm install`.
	const environment = withNodeFirstOnPath(process.env, path.dirname(process.execPath));
	const commandOptions = (label, cwd) => ({ cwd, env: environment, label, logFile, log, signal });
	const packDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-n8n-pack-'));
	try {
		let packedFile = tarball;
		if (packedFile === undefined) {
			log('Building the package (npm run build)…');
			await runCommand('npm', ['run', 'build'], commandOptions('npm run build', packageRoot));
			await runCommand('npm', ['pack', '--pack-destination', packDirectory], commandOptions('npm pack', packageRoot));
			// Listing the folder rather than parsing npm's output: lifecycle scripts may print there too.
			const [packedName] = fs.readdirSync(packDirectory).filter((file) => file.endsWith('.tgz'));
			packedFile = path.join(packDirectory, packedName);
		}

		const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesFolder, { recursive: true });
		const nodesManifest = path.join(nodesFolder, 'package.json');
		if (!fs.existsSync(nodesManifest)) {
			fs.writeFileSync(nodesManifest, `${JSON.stringify({ name: 'installed-nodes', private: true }, null, '\t')}\n`);
		}
		// A fixed name inside the nodes folder keeps its package.json valid after the temporary folder is gone.
		const { name, version } = readManifestFromTarball(packedFile);
		const localTarball = `${name.replace(/^@/, '').replace('/', '-')}.tgz`;
		fs.copyFileSync(packedFile, path.join(nodesFolder, localTarball));
		// The version rarely changes between builds; without this npm may keep the previous build.
		const installedFolder = path.join(nodesFolder, 'node_modules', name);
		fs.rmSync(installedFolder, { recursive: true, force: true });

		log(`Installing ${name}@${version} into ${nodesFolder}…`);
		// As n8n's own community-package install does: no install scripts and no peer dependencies
		// (n8n-workflow must come from n8n itself; a second copy would break its error classes).
		await runCommand(
			'npm',
			['install', `./${localTarball}`, '--omit=dev', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'],
			commandOptions(`npm install ${name}`, nodesFolder),
		);
		if (!fs.existsSync(path.join(installedFolder, 'package.json'))) {
			throw new Error(`npm reported success but ${installedFolder} is missing; see ${logFile}.`);
		}
		return { name, version, installedFolder };
	} finally {
		fs.rmSync(packDirectory, { recursive: true, force: true });
	}
}

/** Reads name and version from a packed tarball's package.json without unpacking it to disk. */
function readManifestFromTarball(tarball) {
	const manifestText = execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
	const { name, version } = JSON.parse(manifestText);
	return { name, version };
}

module.exports = { installPackage, REPOSITORY_ROOT };
