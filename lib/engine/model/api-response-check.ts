import { notAnApiResponseFailure, type ProviderLabel } from './provider-failure';

// Both APIs answer in JSON or an event stream; a page means something else answered.
const pageContentType = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

/**
 * A fetch that refuses a success response carrying a web page instead of the API's answer: a
 * proxy's login page, a captive portal, a base URL that points at a website. The SDKs would read
 * such a page as an empty stream, which looks like a dropped connection and gets retried as an
 * outage; refused here, it fails at once as an invalid response that names the base URL to check.
 */
export const fetchRefusingPages =
	(label: ProviderLabel, fetchImplementation?: typeof fetch): typeof fetch =>
	async (input, init) => {
		const response = await (fetchImplementation ?? globalThis.fetch)(input, init);
		const contentType = response.headers.get('content-type') ?? '';
		if (!response.ok || !pageContentType.test(contentType)) return response;
		await response.body?.cancel();
		throw notAnApiResponseFailure(label, contentType);
	};
