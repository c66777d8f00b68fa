import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { N8nInstallation } from '../../../scripts/n8n/local-n8n';

/**
 * The PostgreSQL database and the Redis keys one queue-mode n8n uses, made for one suite and
 * removed after it. Both servers already run on the machine (see the README's queue-mode section
 * for starting them); the clients are the `pg` and `ioredis` that n8n itself installed, so the
 * project needs no dependency of its own for them.
 */

/** Where the suites find PostgreSQL and Redis: the machine's own servers unless the environment says otherwise. */
export const queueServices = {
	postgres: {
		host: process.env.PGHOST ?? '127.0.0.1',
		port: Number(process.env.PGPORT ?? 5432),
		user: process.env.PGUSER ?? 'postgres',
		password: process.env.PGPASSWORD ?? '',
	},
	redis: { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) },
} as const;

type PgClient = { connect(): Promise<void>; query(text: string): Promise<unknown>; end(): Promise<void> };
type PgModule = { Client: new (options: Record<string, unknown>) => PgClient };
type RedisClient = {
	scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', size: number): Promise<[string, string[]]>;
	del(...keys: string[]): Promise<number>;
	quit(): Promise<unknown>;
};
type RedisModule = { default: new (options: Record<string, unknown>) => RedisClient };

function n8nDependency<Module>(installation: N8nInstallation, name: string): Module {
	return createRequire(join(installation.folder, 'package.json'))(name) as Module;
}

/** Runs one statement against the server's `postgres` database (CREATE/DROP DATABASE cannot run inside the target). */
async function administer(installation: N8nInstallation, statement: string): Promise<void> {
	const { Client } = n8nDependency<PgModule>(installation, 'pg');
	const client = new Client({ ...queueServices.postgres, database: 'postgres' });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Database names come from the suite, never from outside; this keeps them plain identifiers. */
function assertPlainIdentifier(name: string): void {
	if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`"${name}" is not a plain PostgreSQL identifier.`);
}

export async function createDatabase(installation: N8nInstallation, name: string): Promise<void> {
	assertPlainIdentifier(name);
	await administer(installation, `CREATE DATABASE ${name}`);
}

/** FORCE closes connections a killed process may have left behind. */
export async function dropDatabase(installation: N8nInstallation, name: string): Promise<void> {
	assertPlainIdentifier(name);
	await administer(installation, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Deletes every Redis key that starts with `prefix` (the suite's queue, pub/sub and cache keys), nothing else. */
export async function deleteRedisKeys(installation: N8nInstallation, prefix: string): Promise<number> {
	if (prefix.length < 8 || /[*?[\]\\]/.test(prefix)) throw new Error(`Refusing to delete Redis keys by the prefix "${prefix}".`);
	const { default: Redis } = n8nDependency<RedisModule>(installation, 'ioredis');
	const client = new Redis({ ...queueServices.redis, lazyConnect: false, maxRetriesPerRequest: 2 });
	let deleted = 0;
	try {
		let cursor = '0';
		do {
			const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
			if (keys.length > 0) deleted += await client.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		await client.quit();
	}
	return deleted;
}
