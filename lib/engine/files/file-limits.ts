import type { LanguageModel } from '../model/language-model';
import type { InputFile } from './input-file';
import { isImageMediaType } from './input-file';

const megabyte = 1024 * 1024;

/** The largest files, in raw bytes, a provider takes inline in one request. */
type FileLimits = { provider: string; imageBytes: number; pdfBytes: number; totalBytes: number };

/**
 * Anthropic: an image's base64 may be 5 MB (so 3.75 MB of file), a whole request 32 MB (so 24 MB
 * of files once encoded). OpenAI: 20 MB per image, 32 MB of PDF content and 50 MB of files per
 * request. A connected chat model's provider is not known here, so the stricter of both applies.
 * Sources are cited in the README ("Files (images and PDFs)").
 */
const limitsByProvider: Record<LanguageModel['provider'], FileLimits> = {
	anthropic: { provider: 'Anthropic', imageBytes: 3.75 * megabyte, pdfBytes: 24 * megabyte, totalBytes: 24 * megabyte },
	'openai-compatible': { provider: 'OpenAI', imageBytes: 20 * megabyte, pdfBytes: 32 * megabyte, totalBytes: 50 * megabyte },
	connected: { provider: 'a connected chat model (the stricter limits of Anthropic and OpenAI)', imageBytes: 3.75 * megabyte, pdfBytes: 24 * megabyte, totalBytes: 24 * megabyte },
};

/** A file the run cannot send: too large for the model's provider. The message says which file and what to do. */
export class InputFileError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InputFileError';
	}
}

const inMegabytes = (bytes: number): string => `${Number((bytes / megabyte).toFixed(2))} MB`;

/**
 * Throws an InputFileError when a file, or all of them together, is larger than a provider the run
 * may call takes (the main model's and the fallback's), before anything is stored or sent.
 */
export function checkInputFiles(files: readonly InputFile[], models: readonly LanguageModel[]): void {
	if (files.length === 0) return;
	for (const limits of models.map((model) => limitsByProvider[model.provider])) {
		for (const file of files) {
			const image = isImageMediaType(file.mediaType);
			const limit = image ? limits.imageBytes : limits.pdfBytes;
			if (file.data.byteLength > limit) {
				throw new InputFileError(
					`The ${image ? 'image' : 'PDF'} ${describe(file)} is ${inMegabytes(file.data.byteLength)}; ${limits.provider} takes ${image ? 'images' : 'PDFs'} up to ${inMegabytes(limit)}. ` +
						`Send a smaller file (${image ? 'resize or compress it, e.g. with the Edit Image node' : 'split it or send fewer pages'}), or leave it out under 'Files to Send'.`,
				);
			}
		}
		const total = files.reduce((sum, file) => sum + file.data.byteLength, 0);
		if (total > limits.totalBytes) {
			throw new InputFileError(
				`The ${files.length} files sent with the task are ${inMegabytes(total)} together; ${limits.provider} takes up to ${inMegabytes(limits.totalBytes)} of files in one request. Send fewer or smaller files.`,
			);
		}
	}
}

const describe = (file: InputFile): string => (file.name === undefined ? `(${file.mediaType})` : `'${file.name}'`);
