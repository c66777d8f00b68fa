import { estimateMessageTokens, estimateRequestTokens } from '../context/context-policy';
import type { ModelRequest } from './language-model';
import type { AssistantMessage, Usage } from './messages';

/**
 * Usage for a call whose provider reported none (some OpenAI-compatible servers and gateways send
 * no usage at all): estimated from the size of the request and the answer, about four characters a
 * token, and marked `estimated`. Counting nothing would switch the token and cost budgets off.
 */
export const estimateUsage = (request: ModelRequest, answer: AssistantMessage): Usage => ({
	inputTokens: estimateRequestTokens(request.system, request.messages, request.tools),
	outputTokens: estimateMessageTokens(answer),
	cacheReadTokens: 0,
	cacheWriteTokens: 0,
	estimated: true,
});
