/**
 * One entry of the node's 'Allowed Hosts' list: an exact hostname or IP address, or `*.` plus a
 * domain for every subdomain of it, optionally with a port (any port when none is given).
 */
export type AllowedHost = { hostname: string; wildcard: boolean; port?: string };

/**
 * Reads the author's entries: `api.internal`, `*.corp.example.com`, `127.0.0.1:8080`, `[::1]:3000`.
 * A pasted URL is reduced to its host. Throws on an entry that names no host: that is a broken
 * node configuration, and ignoring it would refuse requests the author meant to allow.
 */
export function parseAllowedHosts(entries: readonly string[]): AllowedHost[] {
	return entries.map((entry) => entry.trim()).filter((entry) => entry !== '').map(parseEntry);
}

/** True when the URL's host (and port, when the entry has one) matches an entry. */
export function isAllowedHost(url: URL, allowedHosts: readonly AllowedHost[]): boolean {
	const hostname = normalizeHostname(url.hostname);
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');
	return allowedHosts.some((allowed) => {
		if (allowed.port !== undefined && allowed.port !== port) return false;
		return allowed.wildcard ? hostname.endsWith(`.${allowed.hostname}`) : hostname === allowed.hostname;
	});
}

function parseEntry(entry: string): AllowedHost {
	const invalid = (reason: string) =>
		new Error(`'Allowed Hosts' entry '${entry}' is invalid: ${reason}. Use a hostname, '*.example.com' or 'host:port'.`);
	const withoutScheme = entry.toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#].*$/, '');
	const wildcard = withoutScheme.startsWith('*.');
	const { host, port } = splitPort(wildcard ? withoutScheme.slice(2) : withoutScheme);
	if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) throw invalid(`'${port}' is not a port`);
	if (wildcard) {
		if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/.test(host)) throw invalid('a wildcard must be followed by a domain name');
		return { hostname: host.replace(/\.$/, ''), wildcard, port };
	}
	const hostname = canonicalHostname(host);
	if (!hostname) throw invalid('it does not name a host');
	return { hostname, wildcard, port };
}

/** Splits `host:port`, `[ipv6]:port` and a bare IPv6 address, whose colons are not a port. */
function splitPort(text: string): { host: string; port?: string } {
	const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
	if (bracketed) return { host: bracketed[1], port: bracketed[2] };
	const colons = text.split(':').length - 1;
	if (colons !== 1) return { host: text };
	const [host, port] = text.split(':');
	return { host, port };
}

/** The hostname as `URL` spells it, so `LOCALHOST.` or `[0:0::1]` compare equal to the request's host. */
function canonicalHostname(host: string): string | undefined {
	if (host === '') return undefined;
	try {
		return normalizeHostname(new URL(`http://${host.includes(':') ? `[${host}]` : host}`).hostname);
	} catch {
		return undefined;
	}
}

function normalizeHostname(hostname: string): string {
	const unbracketed = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
	return unbracketed.toLowerCase().replace(/\.$/, '');
}
