import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, so ranges can be compared: 32 bits for IPv4, 128 for IPv6. */
export type IpAddress = { version: 4 | 6; value: bigint };

/** A range such as 10.0.0.0/8 or fc00::/7. */
export type IpRange = { version: 4 | 6; network: bigint; prefixLength: number };

/** Parses a literal IPv4 or IPv6 address (an IPv6 zone such as `%eth0` is ignored); undefined otherwise. */
export function parseIpAddress(text: string): IpAddress | undefined {
	const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	if (isIPv4(address)) return { version: 4, value: ipv4Value(address) };
	const withoutZone = address.split('%')[0];
	if (isIPv6(withoutZone)) return { version: 6, value: ipv6Value(withoutZone) };
	return undefined;
}

export function parseIpRange(cidr: string): IpRange {
	const [addressText, prefixText] = cidr.split('/');
	const address = parseIpAddress(addressText);
	if (!address) throw new Error(`Not an IP range: ${cidr}`);
	return { version: address.version, network: address.value, prefixLength: Number(prefixText) };
}

export function isInRange(address: IpAddress, range: IpRange): boolean {
	if (address.version !== range.version) return false;
	const bits = BigInt(address.version === 4 ? 32 : 128);
	const hostBits = bits - BigInt(range.prefixLength);
	return address.value >> hostBits === range.network >> hostBits;
}

/**
 * The IPv4 address an IPv6 address carries, `lowBit` bits above its end: 0 for the last 32 bits
 * (mapped, NAT64 and similar forms), 80 for bits 16–47 (6to4).
 */
export function embeddedIpv4(address: IpAddress, lowBit = 0): IpAddress {
	return { version: 4, value: (address.value >> BigInt(lowBit)) & 0xffffffffn };
}

export function formatIpv4(address: IpAddress): string {
	return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
}

function ipv4Value(address: string): bigint {
	return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** Expects text `isIPv6` accepted: eight groups, one `::` gap, or a dotted IPv4 tail. */
function ipv6Value(address: string): bigint {
	let text = address;
	const lastColon = text.lastIndexOf(':');
	const tail = text.slice(lastColon + 1);
	if (tail.includes('.')) {
		const value = ipv4Value(tail);
		text = `${text.slice(0, lastColon + 1)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
	}
	const [head, rest] = text.split('::');
	const headGroups = head === '' ? [] : head.split(':');
	const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
	const gap = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
	const groups = [...headGroups, ...Array<string>(gap).fill('0'), ...restGroups];
	return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
