/**
 * Turns the argument text a model streamed for a tool call into the call's `input`. No text means
 * no arguments (`{}`); text that is not JSON is kept as the raw string so input validation can show
 * the model exactly what it sent.
 */
export const parseToolInput = (argumentText: string): unknown => {
	if (argumentText.trim() === '') return {};
	try {
		return JSON.parse(argumentText) as unknown;
	} catch {
		return argumentText;
	}
};

/**
 * The input to send back to a provider when replaying an earlier tool call. Providers only accept
 * an object; a call whose arguments were not a JSON object is replayed as `{}` because its tool
 * result already tells the model what was wrong with them.
 */
export const toolInputForReplay = (input: unknown): Record<string, unknown> =>
	typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
