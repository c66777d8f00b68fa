import { headerReader, parseRetryAfterMs } from '../../../lib/engine/model/retry-after';

const now = Date.parse('2026-01-01T12:00:00Z');
const parse = (headers: Record<string, string>) => parseRetryAfterMs(headerReader(headers), now);

describe('parseRetryAfterMs', () => {
	test('retry-after in seconds, whole or fractional', () => {
		expect(parse({ 'retry-after': '2' })).toBe(2000);
		expect(parse({ 'Retry-After': '0.5' })).toBe(500);
	});

	test('retry-after as an HTTP date, measured from now; a past date means no wait', () => {
		expect(parse({ 'retry-after': 'Thu, 01 Jan 2026 12:00:30 GMT' })).toBe(30_000);
		expect(parse({ 'retry-after': 'Thu, 01 Jan 2026 11:59:00 GMT' })).toBe(0);
	});

	test('retry-after-ms is preferred, being more precise', () => {
		expect(parse({ 'retry-after-ms': '1250', 'retry-after': '2' })).toBe(1250);
	});

	test('absent or unreadable headers: undefined', () => {
		expect(parse({})).toBeUndefined();
		expect(parse({ 'retry-after': 'soon' })).toBeUndefined();
		expect(parse({ 'retry-after-ms': 'later' })).toBeUndefined();
	});

	test('reads a fetch Headers object as well as a plain record', () => {
		expect(parseRetryAfterMs(headerReader(new Headers({ 'Retry-After': '3' })), now)).toBe(3000);
		expect(parseRetryAfterMs(headerReader(undefined), now)).toBeUndefined();
	});
});
