import { htmlToText } from './html-to-text';

/** Media types that are text even though they are not `text/*`. */
const textualMediaType = /(?:json|xml|javascript|ecmascript|yaml|csv|graphql|x-www-form-urlencoded)/;

/**
 * The response body as the model should read it: decoded with the declared charset, HTML turned
 * into readable text (links resolved against `url`), and binary content replaced by a note rather
 * than mojibake that would only waste the model's context.
 */
export function responseText(bytes: Buffer, contentType: string | undefined, url: string): string {
	if (bytes.length === 0) return '';
	const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const textual = mediaType === '' ? !bytes.subarray(0, 1024).includes(0) : mediaType.startsWith('text/') || textualMediaType.test(mediaType);
	if (!textual) return `[${bytes.length} bytes of ${mediaType || 'binary'} content, not shown]`;
	const text = decode(bytes, charsetOf(contentType));
	return mediaType === 'text/html' || mediaType === 'application/xhtml+xml' ? htmlToText(text, url) : text;
}

function charsetOf(contentType: string | undefined): string {
	return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
}

function decode(bytes: Buffer, charset: string): string {
	try {
		return new TextDecoder(charset).decode(bytes);
	} catch {
		// An unknown charset label: UTF-8 is the best guess for today's web.
		return new TextDecoder('utf-8').decode(bytes);
	}
}
