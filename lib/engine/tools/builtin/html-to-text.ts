import { decodeHtmlEntities } from './html-entities';

/**
 * Placeholders for the whitespace inside <pre>, which must survive the whitespace collapsing the
 * rest of the page needs. Private-use characters: no real page text contains them.
 */
const preservedNewline = '\uE000';
const preservedSpace = '\uE001';
const preservedTab = '\uE002';

/**
 * Markers for block boundaries. Nested blocks produce runs of them, and one run becomes one line
 * break, or an empty line when a paragraph-level element is part of it.
 */
const paragraphBreak = '\uE010';
const lineBreak = '\uE011';

/** Elements whose content is never readable text. */
const hiddenElements = /<(script|style|noscript|template|svg|head|iframe|object)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;

/** Elements that start a new paragraph, and ones that start a new line. */
const paragraphTags = /<\/?(?:p|section|article|header|footer|nav|aside|main|blockquote|pre|table|ul|ol|dl|form|fieldset|figure|details|hr)\b[^>]*>/gi;
const lineTags = /<(?:\/li|\/?div|\/?tr|\/?dt|\/?dd|\/?figcaption|\/?summary|\/?address|\/?caption|\/?option)\b[^>]*>/gi;

/**
 * Turns an HTML page into text a model can read: the title, then the body with scripts and styles
 * removed, headings marked with `#`, list items with `-`, table cells separated by `|`, links
 * followed by their (absolute) target, entities decoded and whitespace collapsed. Tolerates pages
 * cut off mid-tag, which the size cap produces.
 */
export function htmlToText(html: string, baseUrl?: string): string {
	let text = html.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
	const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(text.replace(/<svg\b[\s\S]*?(?:<\/svg\s*>|$)/gi, ''))?.[1];
	text = text
		.replace(hiddenElements, ' ')
		.replace(/<pre\b([^>]*)>([\s\S]*?)(?=<\/pre\s*>|$)/gi, (_match, attributes: string, content: string) => `<pre${attributes}>${preserveWhitespace(content)}`)
		.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_match, attributes: string, content: string) => linkText(attributes, content, baseUrl))
		.replace(/\s+/g, ' ')
		.replace(/<h([1-6])\b[^>]*>/gi, (_match, level: string) => `${paragraphBreak}${'#'.repeat(Number(level))} `)
		.replace(/<\/h[1-6]\s*>/gi, paragraphBreak)
		.replace(paragraphTags, paragraphBreak)
		.replace(lineTags, lineBreak)
		.replace(/<li\b[^>]*>/gi, `${lineBreak}- `)
		.replace(/<br\b[^>]*>/gi, '\n')
		.replace(/<(?:td|th)\b[^>]*>/gi, ' | ')
		.replace(/<\/?[a-zA-Z!?][^>]*(?:>|$)/g, '')
		.replace(/ *[\uE010\uE011][\uE010\uE011 ]*/g, (run) => (run.includes(paragraphBreak) ? '\n\n' : '\n'));
	text = decodeHtmlEntities(text)
		.replace(/\u00a0/g, ' ')
		.split('\n')
		.map((line) => line.replace(/[ \t]+/g, ' ').trim().replace(/^\| /, ''))
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
	const body = restoreWhitespace(text);
	const heading = title === undefined ? '' : decodeHtmlEntities(title).replace(/\s+/g, ' ').trim();
	return heading === '' ? body : `${heading}\n\n${body}`;
}

/** Marks whitespace in text (not inside tags) so the later collapsing leaves it alone. */
function preserveWhitespace(content: string): string {
	return content.replace(/(<[^>]*>)|([^<]+)/g, (_match, tag: string | undefined, textRun: string | undefined) =>
		tag ?? (textRun ?? '').replace(/\r?\n/g, preservedNewline).replace(/ /g, preservedSpace).replace(/\t/g, preservedTab),
	);
}

function restoreWhitespace(text: string): string {
	return text.replaceAll(preservedNewline, '\n').replaceAll(preservedSpace, ' ').replaceAll(preservedTab, '\t');
}

/** "text (target)", so a model reading the page can follow links; plain text for in-page and script links. */
function linkText(attributes: string, content: string, baseUrl: string | undefined): string {
	const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes);
	const target = href ? decodeHtmlEntities(href[1] ?? href[2] ?? href[3]).trim() : '';
	const label = content.replace(/<[^>]*>/g, '').trim();
	if (target === '' || target.startsWith('#') || /^javascript:/i.test(target) || label === '') return content;
	const absolute = resolveLink(target, baseUrl);
	return decodeHtmlEntities(label) === absolute ? content : `${content} (${absolute})`;
}

function resolveLink(target: string, baseUrl: string | undefined): string {
	try {
		return new URL(target, baseUrl).href;
	} catch {
		return target;
	}
}
