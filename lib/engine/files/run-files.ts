import type { FilePart, LoadedFilePart, Message, RequestMessage } from '../model/messages';
import type { RunStore } from '../run-store';
import type { InputFile } from './input-file';

/**
 * A run's files: stored once when the run starts, referenced from its messages (and so from its
 * transcript and snapshots), and loaded back for the requests that send them. Loaded bytes stay in
 * memory for the run's life, so each file is read from storage at most once per process.
 */
export type RunFiles = {
	/** Stores the task's files and returns the parts that stand for them in the task message. */
	save(files: readonly InputFile[]): Promise<FilePart[]>;
	/** The messages as a request sends them: every file part with its bytes. */
	withData(messages: readonly Message[]): Promise<RequestMessage[]>;
};

export function createRunFiles(store: Pick<RunStore, 'writeAttachment' | 'readAttachment'>): RunFiles {
	const loaded = new Map<string, Promise<string>>();

	const load = (part: FilePart): Promise<string> => {
		let data = loaded.get(part.ref);
		if (data === undefined) {
			data = readStored(store, part);
			// A failed read is not kept: the next request reads again.
			data.catch(() => loaded.delete(part.ref));
			loaded.set(part.ref, data);
		}
		return data;
	};

	return {
		async save(files) {
			const parts: FilePart[] = [];
			for (const file of files) {
				const ref = await store.writeAttachment(file.data, file.mediaType);
				loaded.set(ref, Promise.resolve(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength).toString('base64')));
				parts.push({ type: 'file', mediaType: file.mediaType, ...(file.name === undefined ? {} : { name: file.name }), size: file.data.byteLength, ref });
			}
			return parts;
		},

		async withData(messages) {
			return await Promise.all(
				messages.map(async (message): Promise<RequestMessage> => {
					if (message.role === 'assistant' || !message.content.some((part) => part.type === 'file')) return message as RequestMessage;
					const content = await Promise.all(
						message.content.map(async (part) => (part.type === 'file' ? ({ ...part, data: await load(part) } satisfies LoadedFilePart) : part)),
					);
					return { role: 'user', content };
				}),
			);
		},
	};
}

async function readStored(store: Pick<RunStore, 'readAttachment'>, part: FilePart): Promise<string> {
	const body = await store.readAttachment(part.ref);
	if (body === undefined) {
		throw new Error(
			`The file ${part.name === undefined ? '' : `'${part.name}' `}sent with this run's task is missing from storage (attachment ${part.ref}); it was deleted after the run started. Start a new run with the file.`,
		);
	}
	return body.toString('base64');
}
