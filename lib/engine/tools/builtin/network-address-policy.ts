import { embeddedIpv4, formatIpv4, isInRange, parseIpAddress, parseIpRange, type IpAddress, type IpRange } from './ip-address';

type RangeRule = { range: IpRange; description: string };

const rules = (entries: Array<[string, string]>): RangeRule[] =>
	entries.map(([cidr, description]) => ({ range: parseIpRange(cidr), description }));

/** First match wins, so the metadata addresses come before the ranges that contain them. */
const ipv4Rules = rules([
	['169.254.169.254/32', 'a cloud metadata address'],
	['100.100.100.200/32', 'a cloud metadata address'],
	['0.0.0.0/8', 'an unspecified address'],
	['10.0.0.0/8', 'a private address'],
	['172.16.0.0/12', 'a private address'],
	['192.168.0.0/16', 'a private address'],
	['127.0.0.0/8', 'a loopback address'],
	['169.254.0.0/16', 'a link-local address'],
	['100.64.0.0/10', 'a carrier-grade NAT address'],
	['192.0.0.0/24', 'a reserved address'],
	['198.18.0.0/15', 'a reserved address'],
	['224.0.0.0/4', 'a multicast address'],
	['240.0.0.0/4', 'a reserved address'],
]);

const ipv6Rules = rules([
	['::/128', 'an unspecified address'],
	['::1/128', 'a loopback address'],
	['fd00:ec2::254/128', 'a cloud metadata address'],
	['fc00::/7', 'a unique-local address'],
	['fe80::/10', 'a link-local address'],
	['fec0::/10', 'a site-local address'],
	['ff00::/8', 'a multicast address'],
	// A local-use NAT64 prefix places its IPv4 address where the network operator chose, so what
	// it reaches cannot be read from the address: it leads into the operator's own network.
	['64:ff9b:1::/48', 'a local-use NAT64 address'],
	// Teredo tunnels to an IPv4 client through an IPv4 server, both hidden in the address (the
	// client's bits inverted); no public service needs it, so it is refused whatever it carries.
	['2001::/32', 'a Teredo tunnel address'],
]);

/**
 * IPv6 forms that carry an IPv4 address and reach it, checked as that IPv4 address: ::ffff:10.0.0.1
 * is 10.0.0.1 to a dual-stack socket, a NAT64 gateway forwards 64:ff9b::a00:1 to 10.0.0.1, and a
 * 6to4 relay sends 2002:a00:1:: to 10.0.0.1. `lowBit` says where the IPv4 address ends (see
 * embeddedIpv4): the last 32 bits, or bits 16–47 for 6to4.
 */
const ipv4CarryingRanges = [
	...rules([
		['::ffff:0:0/96', 'IPv4-mapped'],
		['::ffff:0:0:0/96', 'IPv4-translated'],
		['64:ff9b::/96', 'NAT64'],
		['::/96', 'IPv4-compatible'],
	]).map((rule) => ({ ...rule, lowBit: 0 })),
	...rules([['2002::/16', '6to4']]).map((rule) => ({ ...rule, lowBit: 80 })),
];

/** Hostnames that reach a cloud provider's metadata service without going through public DNS. */
const cloudMetadataHostnames = new Set(['metadata.google.internal']);

/**
 * Why a request must not go to this IP address — for example "a private address" — or undefined
 * when it is a public address. The agent's HTTP tool runs inside the n8n server's network, so
 * without this check a model could read internal services and cloud credentials (SSRF).
 */
export function describeForbiddenAddress(address: string): string | undefined {
	const parsed = parseIpAddress(address);
	if (!parsed) return 'not an IP address';
	if (parsed.version === 4) return matchRules(parsed, ipv4Rules);
	const direct = matchRules(parsed, ipv6Rules);
	if (direct) return direct;
	const carrier = ipv4CarryingRanges.find((rule) => isInRange(parsed, rule.range));
	if (!carrier) return undefined;
	const ipv4 = embeddedIpv4(parsed, carrier.lowBit);
	const description = matchRules(ipv4, ipv4Rules);
	return description && `${description} (${carrier.description} ${formatIpv4(ipv4)})`;
}

export function isCloudMetadataHostname(hostname: string): boolean {
	return cloudMetadataHostnames.has(hostname.toLowerCase().replace(/\.$/, ''));
}

function matchRules(address: IpAddress, candidates: readonly RangeRule[]): string | undefined {
	return candidates.find((rule) => isInRange(address, rule.range))?.description;
}
