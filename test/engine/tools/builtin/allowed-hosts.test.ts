import { isAllowedHost, parseAllowedHosts } from '../../../../lib/engine/tools/builtin/allowed-hosts';

describe('allowed hosts', () => {
	const allowed = parseAllowedHosts(['api.internal', '*.corp.example.com', '127.0.0.1:8080', '[::1]:3000', ' ', 'https://Wiki.Internal/home']);
	const isAllowed = (url: string) => isAllowedHost(new URL(url), allowed);

	it('matches exact hostnames on any port', () => {
		expect(isAllowed('http://api.internal/v1')).toBe(true);
		expect(isAllowed('https://API.internal:8443/v1')).toBe(true);
		expect(isAllowed('http://wiki.internal/')).toBe(true);
		expect(isAllowed('http://other.internal/')).toBe(false);
	});

	it('matches every subdomain of a wildcard entry, but not the domain itself', () => {
		expect(isAllowed('https://a.corp.example.com/')).toBe(true);
		expect(isAllowed('https://a.b.corp.example.com/')).toBe(true);
		expect(isAllowed('https://corp.example.com/')).toBe(false);
		expect(isAllowed('https://evilcorp.example.com/')).toBe(false);
	});

	it('matches an entry with a port only on that port', () => {
		expect(isAllowed('http://127.0.0.1:8080/')).toBe(true);
		expect(isAllowed('http://127.0.0.1/')).toBe(false);
		expect(isAllowed('http://127.0.0.1:8081/')).toBe(false);
		expect(isAllowed('http://[::1]:3000/')).toBe(true);
		expect(isAllowed('http://[0:0::1]:3000/')).toBe(true);
		expect(isAllowed('http://[::1]:3001/')).toBe(false);
	});

	it('refuses entries that name no host, with a message for the author', () => {
		expect(() => parseAllowedHosts(['api.internal:http'])).toThrow(
			"'Allowed Hosts' entry 'api.internal:http' is invalid: 'http' is not a port. Use a hostname, '*.example.com' or 'host:port'.",
		);
		expect(() => parseAllowedHosts(['*.'])).toThrow('a wildcard must be followed by a domain name');
	});
});
