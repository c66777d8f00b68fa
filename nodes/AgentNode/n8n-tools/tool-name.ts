const maximumToolNameLength = 64;

/**
 * Turns a connected tool's name into one every provider accepts (`^[a-zA-Z0-9_-]{1,64}$`, the rule
 * shared by Anthropic, OpenAI and most OpenAI-compatible servers): each other character becomes
 * `_` and the name is cut to 64 characters. Tools from toolkits (an MCP server's tools, for
 * example) cannot be renamed by the user, so escaping beats refusing them; the caller rejects the
 * collisions escaping can cause. Returns undefined when nothing recognisable is left to keep
 * (a name without any ASCII letter or digit).
 */
export function toProviderToolName(name: string): string | undefined {
	const escaped = name.trim().replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, maximumToolNameLength);
	return /[a-zA-Z0-9]/.test(escaped) ? escaped : undefined;
}
