import { describeForbiddenAddress, isCloudMetadataHostname } from '../../../../lib/engine/tools/builtin/network-address-policy';

describe('describeForbiddenAddress', () => {
	it.each([
		['10.0.0.5', 'a private address'],
		['172.31.255.1', 'a private address'],
		['192.168.1.1', 'a private address'],
		['127.0.0.1', 'a loopback address'],
		['127.8.9.10', 'a loopback address'],
		['169.254.10.1', 'a link-local address'],
		['169.254.169.254', 'a cloud metadata address'],
		['100.64.0.1', 'a carrier-grade NAT address'],
		['0.0.0.0', 'an unspecified address'],
		['224.0.0.1', 'a multicast address'],
		['255.255.255.255', 'a reserved address'],
		['::', 'an unspecified address'],
		['::1', 'a loopback address'],
		['fe80::1', 'a link-local address'],
		['fe80::1%eth0', 'a link-local address'],
		['fd12:3456::1', 'a unique-local address'],
		['fc00::1', 'a unique-local address'],
		['fd00:ec2::254', 'a cloud metadata address'],
		['::ffff:127.0.0.1', 'a loopback address (IPv4-mapped 127.0.0.1)'],
		['::ffff:7f00:1', 'a loopback address (IPv4-mapped 127.0.0.1)'],
		['::ffff:a9fe:a9fe', 'a cloud metadata address (IPv4-mapped 169.254.169.254)'],
		['64:ff9b::10.0.0.1', 'a private address (NAT64 10.0.0.1)'],
		['64:ff9b::a9fe:a9fe', 'a cloud metadata address (NAT64 169.254.169.254)'],
		['2002:a00:1::', 'a private address (6to4 10.0.0.1)'],
		['2002:7f00:1:ffff::1', 'a loopback address (6to4 127.0.0.1)'],
		['2002:a9fe:a9fe::', 'a cloud metadata address (6to4 169.254.169.254)'],
		['::ffff:0:a00:1', 'a private address (IPv4-translated 10.0.0.1)'],
		['::ffff:0:127.0.0.1', 'a loopback address (IPv4-translated 127.0.0.1)'],
		['64:ff9b:1::808:808', 'a local-use NAT64 address'],
		['64:ff9b:1:ffff::1', 'a local-use NAT64 address'],
		['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'a Teredo tunnel address'],
		['2001::1', 'a Teredo tunnel address'],
	])('refuses %s as %s', (address, description) => {
		expect(describeForbiddenAddress(address)).toBe(description);
	});

	it.each(['93.184.215.14', '172.32.0.1', '100.128.0.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:0:8.8.8.8', '2001:4860:4860::8888'])('allows the public address %s', (address) => {
		expect(describeForbiddenAddress(address)).toBeUndefined();
	});

	it('recognises the metadata hostname in any spelling', () => {
		expect(isCloudMetadataHostname('Metadata.Google.Internal.')).toBe(true);
		expect(isCloudMetadataHostname('metadata.example.com')).toBe(false);
	});
});
