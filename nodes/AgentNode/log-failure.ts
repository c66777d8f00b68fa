import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Writes a node's failure to n8n's log with its message: n8n reports a failed node there by its
 * error class and stack only (the message stays in the execution), which leaves a person watching
 * the log of a webhook that answered "Error in workflow" with nothing to go on.
 */
export function logFailure(context: IExecuteFunctions, error: unknown): void {
	const message = error instanceof Error ? error.message : String(error);
	const description = error instanceof Error && 'description' in error && typeof error.description === 'string' ? ` (${error.description})` : '';
	context.logger.error(`${context.getNode().name} failed in execution ${context.getExecutionId()}: ${message}${description}`);
}
