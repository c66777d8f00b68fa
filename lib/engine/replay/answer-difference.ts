import type { JsonValue } from '../model/messages';
import { canonicalJson } from './canonical-json';

/** How many characters of each side a text difference shows, and how many JSON paths at most. */
const shownCharacters = 60;
const contextCharacters = 20;
const maxPaths = 5;

/**
 * A short, readable difference between two answers; undefined when they are equal. Text: where
 * they start to differ and what each says from there. JSON: the first paths whose values differ.
 */
export function answerDifference(original: JsonValue | null, replay: JsonValue | null): string | undefined {
	if (canonicalJson(original) === canonicalJson(replay)) return undefined;
	if (typeof original === 'string' && typeof replay === 'string') return textDifference(original, replay);
	const paths: string[] = [];
	collectDifferences(original, replay, '$', paths);
	const more = paths.length > maxPaths ? `; and ${paths.length - maxPaths} more` : '';
	return paths.slice(0, maxPaths).join('; ') + more;
}

function textDifference(original: string, replay: string): string {
	let start = 0;
	while (start < original.length && start < replay.length && original[start] === replay[start]) start += 1;
	let end = 0;
	while (end < original.length - start && end < replay.length - start && original[original.length - 1 - end] === replay[replay.length - 1 - end]) end += 1;
	const from = Math.max(0, start - contextCharacters);
	const excerpt = (text: string) => {
		const changed = text.slice(from, text.length - end);
		return JSON.stringify(`${from > 0 ? '…' : ''}${changed.length > shownCharacters ? `${changed.slice(0, shownCharacters)}…` : changed}`);
	};
	return `from character ${start + 1}: ${excerpt(original)} → ${excerpt(replay)}`;
}

function collectDifferences(original: JsonValue | undefined | null, replay: JsonValue | undefined | null, path: string, out: string[]): void {
	if (canonicalJson(original) === canonicalJson(replay)) return;
	if (isObject(original) && isObject(replay)) {
		for (const key of [...new Set([...Object.keys(original), ...Object.keys(replay)])].sort()) collectDifferences(original[key], replay[key], `${path}.${key}`, out);
		return;
	}
	if (Array.isArray(original) && Array.isArray(replay)) {
		for (let index = 0; index < Math.max(original.length, replay.length); index++) collectDifferences(original[index], replay[index], `${path}[${index}]`, out);
		return;
	}
	out.push(`${path}: ${shown(original)} → ${shown(replay)}`);
}

function shown(value: JsonValue | undefined | null): string {
	if (value === undefined) return '(missing)';
	const text = JSON.stringify(value);
	return text.length > shownCharacters ? `${text.slice(0, shownCharacters)}…` : text;
}

function isObject(value: JsonValue | undefined | null): value is { [key: string]: JsonValue } {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
