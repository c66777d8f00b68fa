/**
 * Whether the running n8n checks the `signature` of waiting-webhook URLs before any node code runs.
 * n8n 2.14 started signing `$execution.resumeUrl` and refusing calls without a valid signature, so
 * there a request that carries one has proven it holds the URL n8n issued. Older versions check
 * nothing, and our approval token is the only key. The version is read from the n8n-workflow that
 * n8n itself provides (our peer dependency).
 */
export function n8nChecksResumeSignatures(version: string = n8nWorkflowVersion()): boolean {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 14);
}

function n8nWorkflowVersion(): string {
	try {
		return (require('n8n-workflow/package.json') as { version: string }).version;
	} catch {
		return '0.0.0';
	}
}
