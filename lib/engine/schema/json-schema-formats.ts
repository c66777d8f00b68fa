import { isIPv4, isIPv6 } from 'node:net';

/**
 * The string formats worth checking in agent output, registered on every validator because
 * `ajv-formats` is not a dependency. Any other format is ignored: a schema that names a format
 * we do not know still compiles, it just does not constrain that string.
 */
export const jsonSchemaFormats: Readonly<Record<string, (value: string) => boolean>> = {
	'date-time': (value) => {
		const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))$/.exec(value);
		return match !== null && isDate(match[1]) && isTime(match[2]);
	},
	date: isDate,
	time: isTime,
	email: (value) => /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(value),
	uri: (value) => /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) && URL.canParse(value),
	uuid: (value) => /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value),
	ipv4: isIPv4,
	ipv6: isIPv6,
};

function isDate(value: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return false;
	const [year, month, day] = match.slice(1).map(Number);
	if (month < 1 || month > 12 || day < 1) return false;
	// Day 0 of the next month is the last day of this one, leap years included.
	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isTime(value: string): boolean {
	const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))?$/.exec(value);
	if (!match) return false;
	const [hour, minute, second] = match.slice(1, 4).map(Number);
	const offsetHour = Number(match[4] ?? 0);
	const offsetMinute = Number(match[5] ?? 0);
	// Second 60 is a leap second, which RFC 3339 allows.
	return hour <= 23 && minute <= 59 && second <= 60 && offsetHour <= 23 && offsetMinute <= 59;
}
