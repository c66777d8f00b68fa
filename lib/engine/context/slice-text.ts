/**
 * Bounds for `text.slice` that never cut a surrogate pair in half (an emoji, say): a lone half is
 * not valid Unicode and would reach the provider as a broken character. The slice may come out one
 * character shorter at either end; `start` and `end` are clamped to the text.
 */
export function textSliceBounds(text: string, start: number, end: number): { start: number; end: number } {
	let from = Math.min(Math.max(0, start), text.length);
	let to = Math.min(Math.max(from, end), text.length);
	if (from > 0 && from < text.length && isLowSurrogate(text.charCodeAt(from))) from += 1;
	if (to > from && to < text.length && isHighSurrogate(text.charCodeAt(to - 1))) to -= 1;
	return { start: from, end: Math.max(from, to) };
}

/** `text.slice(start, end)` within the bounds of textSliceBounds. */
export function sliceText(text: string, start: number, end: number): string {
	const bounds = textSliceBounds(text, start, end);
	return text.slice(bounds.start, bounds.end);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
