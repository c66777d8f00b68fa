import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repositoryRoot = resolve(__dirname, '..', '..');

/**
 * The README's first command starts with the install step both scripts share
 * (scripts/ensure-dependencies.sh). In a fresh clone it must leave the working tree as git
 * checked it out: a rewritten package-lock.json would make every newcomer's clone dirty.
 * Clones the committed HEAD, so it checks what a newcomer gets, not this working tree.
 */
describe('a fresh clone after the install step of scripts/start.sh and scripts/test.sh', () => {
	let clone: string;

	beforeAll(() => {
		clone = mkdtempSync(join(tmpdir(), 'durable-agent-fresh-clone-'));
		execFileSync('git', ['clone', '--quiet', repositoryRoot, clone], { stdio: 'ignore' });
	});

	afterAll(() => {
		rmSync(clone, { recursive: true, force: true });
	});

	it('has node_modules installed and an empty `git status`', () => {
		execFileSync('bash', ['-c', 'source scripts/ensure-dependencies.sh'], { cwd: clone, stdio: 'ignore' });

		const status = execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' });
		expect(status).toBe('');
		expect(existsSync(join(clone, 'node_modules', '.bin', 'jest'))).toBe(true);
	}, 600_000);
});
