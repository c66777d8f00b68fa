/** What the credential's "Test" button reports. */
export type ProbeResult = { ok: true; message: string } | { ok: false; message: string };

/** The two requests that tell whether a model API answers at a base URL with a key. */
export type ModelApiProbe = {
	/** The API's name in messages, e.g. "Chat Completions API". */
	apiName: string;
	/** `GET` this to list models; many local servers and gateways have no such list. */
	modelsUrl: string;
	/** `POST` an empty request here: an API that is there refuses it as invalid (400/422), without calling a model. */
	generateUrl: string;
	headers: Record<string, string>;
	fetch?: typeof fetch;
	timeoutMs?: number;
};

const refusedKey = (status: number) => status === 401 || status === 403;

const keyRefused = (probe: ModelApiProbe, status: number): ProbeResult => ({
	ok: false,
	message: `The server refused the API key (HTTP ${status} from ${probe.modelsUrl}): check API Key, or leave it empty if the server needs none.`,
});

async function send(probe: ModelApiProbe, method: 'GET' | 'POST', url: string): Promise<number | Error> {
	const fetchFunction = probe.fetch ?? fetch;
	try {
		const response = await fetchFunction(url, {
			method,
			headers: method === 'POST' ? { ...probe.headers, 'content-type': 'application/json' } : probe.headers,
			body: method === 'POST' ? '{}' : undefined,
			signal: AbortSignal.timeout(probe.timeoutMs ?? 15_000),
		});
		await response.body?.cancel();
		return response.status;
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

/**
 * Lists models; when the server has no model list, sends an empty generation request instead,
 * which an API that is there answers as invalid without running a model. Passes when either
 * shows the API answering the key; fails naming what to fix when the key is refused, the server
 * cannot be reached, or nothing at the URL speaks the API.
 */
export async function probeModelApi(probe: ModelApiProbe): Promise<ProbeResult> {
	const listed = await send(probe, 'GET', probe.modelsUrl);
	if (listed instanceof Error) {
		return { ok: false, message: `Could not reach ${probe.modelsUrl} (${listed.message}): check Base URL and that the server is running.` };
	}
	if (listed >= 200 && listed < 300) return { ok: true, message: 'Connection successful: the server lists its models.' };
	if (refusedKey(listed)) return keyRefused(probe, listed);

	const generated = await send(probe, 'POST', probe.generateUrl);
	if (generated instanceof Error) {
		return { ok: false, message: `Could not reach ${probe.generateUrl} (${generated.message}): check Base URL and that the server is running.` };
	}
	if (refusedKey(generated)) return keyRefused(probe, generated);
	if (generated === 400 || generated === 422) {
		return { ok: true, message: `Connection successful: the ${probe.apiName} answers (the server lists no models, HTTP ${listed}).` };
	}
	return {
		ok: false,
		message: `No ${probe.apiName} answers at ${probe.generateUrl} (HTTP ${generated}; listing models gave HTTP ${listed}): check Base URL.`,
	};
}
