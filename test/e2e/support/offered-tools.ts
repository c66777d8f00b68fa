import type { RecordedRequest } from '../../support/scripted-llm-server';

/**
 * A scripted step's expectation that the request offered the model at least these tools: the
 * workflow's tool nodes and the built-in tools chosen in the node. The engine may add tools of its
 * own (e.g. to read back a long tool output), which these tests do not pin down.
 */
export function offersTools(names: readonly string[]): (request: RecordedRequest) => void {
	return (request) => {
		const missing = names.filter((name) => !request.conversation.toolNames.includes(name));
		if (missing.length > 0) throw new Error(`tools [${request.conversation.toolNames.join(', ')}] lack ${missing.join(', ')}`);
	};
}
