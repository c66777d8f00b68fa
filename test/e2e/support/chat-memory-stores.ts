import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { N8nInstallation } from '../../../scripts/n8n/local-n8n';
import { queueServices } from './queue-services';

/**
 * What n8n's Postgres Chat Memory and Redis Chat Memory sub-nodes stored for a chat session, read
 * straight from the machine's PostgreSQL (database `test`) and Redis, through the `pg` and
 * `ioredis` clients n8n itself installed. Each stored message is LangChain's serialized form:
 * `{ type: 'human' | 'ai' | 'tool' | 'system', data: { content, tool_calls?, tool_call_id? } }`.
 */

export type StoredChatMessage = { type: string; data: { content?: unknown; tool_calls?: unknown[]; tool_call_id?: string } };

/** The database the Postgres Chat Memory credential points at. */
export const chatMemoryDatabase = { ...queueServices.postgres, database: process.env.PGDATABASE ?? 'test' } as const;

type PgClient = { connect(): Promise<void>; query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>; end(): Promise<void> };
type PgModule = { Client: new (options: Record<string, unknown>) => PgClient };
type RedisClient = { keys(pattern: string): Promise<string[]>; lrange(key: string, start: number, stop: number): Promise<string[]>; del(...keys: string[]): Promise<number>; quit(): Promise<unknown> };
type RedisModule = { default: new (options: Record<string, unknown>) => RedisClient };

function n8nDependency<Module>(installation: N8nInstallation, name: string): Module {
	return createRequire(join(installation.folder, 'package.json'))(name) as Module;
}

/** Session ids come from the suite; a plain form keeps them safe in a LIKE pattern and a Redis key pattern. */
function assertPlainSessionId(sessionId: string): void {
	if (!/^[A-Za-z0-9-]{8,64}$/.test(sessionId)) throw new Error(`"${sessionId}" is not a plain session id.`);
}

/**
 * The messages Postgres Chat Memory keeps for a session, oldest first. n8n scopes the session id
 * by the memory node's name (`<sessionId>__Postgres_Chat_Memory`), hence the prefix match.
 */
export async function postgresChatMessages(installation: N8nInstallation, sessionId: string, tableName = 'n8n_chat_histories'): Promise<StoredChatMessage[]> {
	assertPlainSessionId(sessionId);
	const { Client } = n8nDependency<PgModule>(installation, 'pg');
	const client = new Client(chatMemoryDatabase);
	await client.connect();
	try {
		const result = await client.query(`SELECT message FROM ${tableName} WHERE session_id LIKE $1 ORDER BY id`, [`${sessionId}%`]);
		// LangChain's Postgres history stores the message's data with its type beside the fields.
		return result.rows.map((row) => {
			const { type, ...data } = (typeof row.message === 'string' ? JSON.parse(row.message) : row.message) as { type: string } & StoredChatMessage['data'];
			return { type, data };
		});
	} finally {
		await client.end();
	}
}

/** Removes a session's rows, so a suite leaves the shared database as it found it. */
export async function deletePostgresChatSession(installation: N8nInstallation, sessionId: string, tableName = 'n8n_chat_histories'): Promise<void> {
	assertPlainSessionId(sessionId);
	const { Client } = n8nDependency<PgModule>(installation, 'pg');
	const client = new Client(chatMemoryDatabase);
	await client.connect();
	try {
		await client.query(`DELETE FROM ${tableName} WHERE session_id LIKE $1`, [`${sessionId}%`]).catch(() => undefined);
	} finally {
		await client.end();
	}
}

/**
 * The messages Redis Chat Memory keeps for a session, oldest first: LangChain pushes each message
 * to the head of a list named by the (scoped) session id.
 */
export async function redisChatMessages(installation: N8nInstallation, sessionId: string): Promise<StoredChatMessage[]> {
	return await withRedis(installation, sessionId, async (client, keys) => {
		if (keys.length !== 1) throw new Error(`Expected one Redis list for session ${sessionId}, found ${JSON.stringify(keys)}.`);
		const newestFirst = await client.lrange(keys[0], 0, -1);
		return newestFirst.reverse().map((text) => JSON.parse(text) as StoredChatMessage);
	});
}

export async function deleteRedisChatSession(installation: N8nInstallation, sessionId: string): Promise<void> {
	await withRedis(installation, sessionId, async (client, keys) => (keys.length > 0 ? await client.del(...keys) : 0));
}

async function withRedis<Result>(installation: N8nInstallation, sessionId: string, use: (client: RedisClient, keys: string[]) => Promise<Result>): Promise<Result> {
	assertPlainSessionId(sessionId);
	const { default: Redis } = n8nDependency<RedisModule>(installation, 'ioredis');
	const client = new Redis({ ...queueServices.redis, maxRetriesPerRequest: 2 });
	try {
		return await use(client, await client.keys(`${sessionId}*`));
	} finally {
		await client.quit();
	}
}

/** The role and text of each stored message. */
export function summarize(messages: StoredChatMessage[]): Array<[string, string]> {
	return messages.map((message) => [message.type, typeof message.data.content === 'string' ? message.data.content : JSON.stringify(message.data.content)]);
}
