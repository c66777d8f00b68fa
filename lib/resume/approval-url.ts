/**
 * The URL people open to decide. n8n ≥ 2.14 signs the resume URL (its `signature` covers the path and
 * query), so nothing may be added to it: the approval token travels inside the page's form and in
 * API bodies instead. Older n8n has no signature; there our token in the URL is the only key.
 */
export function approvalUrl(resumeUrl: string, token: string): string {
	const url = new URL(resumeUrl);
	if (url.searchParams.has('signature')) return resumeUrl;
	url.searchParams.set('token', token);
	return url.toString();
}
