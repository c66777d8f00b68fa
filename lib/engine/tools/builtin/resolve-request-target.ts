import { isIP } from 'node:net';

import { isAllowedHost, type AllowedHost } from './allowed-hosts';
import { describeForbiddenAddress, isCloudMetadataHostname } from './network-address-policy';

/** One address a hostname resolved to. */
export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Resolves a hostname to every address it has (the default is `dns.promises.lookup` with `all`). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export type RequestTargetPolicy = {
	allowedHosts: readonly AllowedHost[];
	lookup: HostLookup;
	signal: AbortSignal;
};

const allowHint = "Add the host to 'Allowed Hosts' in the node if this is intended.";

/**
 * Checks where a URL leads and returns the addresses the request may connect to. Throws a
 * "Refused: …" error when the scheme is not http(s) or when the host — or ANY address it resolves
 * to — is internal, unless the author allowed the host. `context` prefixes the reason, to say
 * which redirect led here.
 */
export async function resolveRequestTarget(url: URL, policy: RequestTargetPolicy, context = ''): Promise<ResolvedAddress[]> {
	const refuse = (reason: string, hint = allowHint) => new Error(`Refused: ${context}${reason}. ${hint}`);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw refuse(`only http and https URLs can be requested, not '${url.protocol}'`, 'Use an http or https URL.');
	}
	const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
	const allowed = isAllowedHost(url, policy.allowedHosts);
	if (!allowed && isCloudMetadataHostname(hostname)) throw refuse(`${hostname} is a cloud metadata endpoint`);

	const family = isIP(hostname);
	if (family !== 0) {
		const reason = allowed ? undefined : describeForbiddenAddress(hostname);
		if (reason) throw refuse(`${hostname} is ${reason}`);
		return [{ address: hostname, family: family === 4 ? 4 : 6 }];
	}
	const addresses = await lookupHost(hostname, policy);
	if (!allowed) {
		for (const { address } of addresses) {
			const reason = describeForbiddenAddress(address);
			if (reason) throw refuse(`${hostname} resolves to ${address}, ${reason}`);
		}
	}
	return addresses;
}

async function lookupHost(hostname: string, policy: RequestTargetPolicy): Promise<ResolvedAddress[]> {
	let addresses: ResolvedAddress[];
	try {
		addresses = await abortable(policy.lookup(hostname), policy.signal);
	} catch (error) {
		if (policy.signal.aborted) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new Error(`Could not resolve host '${hostname}'${code ? ` (${code})` : ''}. Check the URL.`);
	}
	if (addresses.length === 0) throw new Error(`Could not resolve host '${hostname}': it has no addresses. Check the URL.`);
	return addresses;
}

/** DNS lookups cannot be cancelled; this stops waiting for one when the request is aborted. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}
