import type { RecordedRequest } from './recorded-request';
import type { Expectation, RequestMatcher } from './script';

const sameSet = (left: string[], right: string[]): boolean =>
	left.length === right.length && [...left].sort().every((value, index) => value === [...right].sort()[index]);

const matcherProblems = (matcher: RequestMatcher, request: RecordedRequest): string[] => {
	const { conversation } = request;
	const problems: string[] = [];
	const lastUser = [...conversation.messages].reverse().find((message) => message.role === 'user');
	if (matcher.model !== undefined && conversation.model !== matcher.model) {
		problems.push(`model is "${conversation.model}", expected "${matcher.model}"`);
	}
	if (matcher.systemIncludes !== undefined && !conversation.system.includes(matcher.systemIncludes)) {
		problems.push(`system prompt does not include "${matcher.systemIncludes}"`);
	}
	if (matcher.toolNames !== undefined && !sameSet(conversation.toolNames, matcher.toolNames)) {
		problems.push(`tools are [${conversation.toolNames.join(', ')}], expected [${matcher.toolNames.join(', ')}]`);
	}
	if (matcher.messageCount !== undefined && conversation.messages.length !== matcher.messageCount) {
		problems.push(`${conversation.messages.length} messages, expected ${matcher.messageCount}`);
	}
	if (matcher.lastUserTextIncludes !== undefined && !lastUser?.text.includes(matcher.lastUserTextIncludes)) {
		problems.push(`last user text "${lastUser?.text ?? ''}" does not include "${matcher.lastUserTextIncludes}"`);
	}
	for (const expected of matcher.toolResults ?? []) {
		const found = lastUser?.toolResults.some(
			(result) =>
				(expected.toolCallId === undefined || result.toolCallId === expected.toolCallId) &&
				(expected.isError === undefined || result.isError === undefined || result.isError === expected.isError) &&
				(expected.outputIncludes === undefined || result.output.includes(expected.outputIncludes)),
		);
		if (!found) problems.push(`no tool result matching ${JSON.stringify(expected)} in ${JSON.stringify(lastUser?.toolResults ?? [])}`);
	}
	if (matcher.structuredOutput !== undefined && conversation.structuredOutput !== matcher.structuredOutput) {
		problems.push(`structured output is ${conversation.structuredOutput ? 'on' : 'off'}, expected ${matcher.structuredOutput ? 'on' : 'off'}`);
	}
	return problems;
};

/** Why the request does not meet the step's expectation, or undefined when it does. */
export const expectationFailure = (expectation: Expectation | undefined, request: RecordedRequest): string | undefined => {
	if (expectation === undefined) return undefined;
	if (typeof expectation === 'function') {
		try {
			return expectation(request) === false ? 'the expectation function returned false' : undefined;
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	}
	const problems = matcherProblems(expectation, request);
	return problems.length > 0 ? problems.join('; ') : undefined;
};
