import type { LanguageModel, ToolDefinition } from '../model/language-model';
import { extractText, type Message, type Usage } from '../model/messages';
import { estimateMessageTokens, estimateRequestTokens, type ContextPolicy } from './context-policy';
import { isSafeCut, requestView, type SummaryState } from './request-view';
import { shortenOldToolResults } from './shorten-old-tool-results';
import { summaryInstructions, summaryRequestMessage } from './summary-prompt';

/** Output tokens the summarising call may spend; the instructions ask for well under this. */
export const summaryMaxOutputTokens = 2_000;

/** What a summary is expected to take in the request: the instructions ask for about 600 words. */
const expectedSummaryTokens = 1_000;

/** The run's request as it stands: its stable prefix, all its messages and its current summary. */
export type SummarizeInput = {
	system: string;
	tools: readonly ToolDefinition[];
	messages: readonly Message[];
	summary: SummaryState | undefined;
	policy: ContextPolicy;
};

/** The summarising call goes through `model`; pass a retrying wrapper to give it the run's retry policy. */
export type SummarizeDeps = { model: Pick<LanguageModel, 'generate'>; signal: AbortSignal };

/** A new summary of the first `summarizedMessageCount` messages, and what the call to write it cost. */
export type SummarizeResult = { summary: string; summarizedMessageCount: number; usage: Usage };

/**
 * Summarises older turns when the next request is estimated above `summarizeAtFraction` of the
 * context window. Undefined when it is not, or when no cut keeps the conversation valid and also
 * makes the request smaller. One model call, no tools: it folds the previous summary (if any) and
 * the turns after it into a new summary. The kept part starts at a safe cut (see isSafeCut), holds
 * at least the latest assistant message and what follows it, and is chosen to bring the request
 * to about half the threshold, so the next summary is many turns away.
 *
 * Throws what the model call throws (a ModelCallError), and an EmptySummaryError, which carries
 * the call's usage (it was billed), if the model wrote no summary.
 */
export async function summarizeOlderTurns(input: SummarizeInput, deps: SummarizeDeps): Promise<SummarizeResult | undefined> {
	const { system, tools, messages, summary, policy } = input;
	const threshold = policy.summarizeAtFraction * policy.contextWindowTokens;
	const shortened = shortenOldToolResults(messages, policy);
	if (estimateRequestTokens(system, shortenOldToolResults(requestView(messages, summary), policy), tools) <= threshold) return undefined;

	const alreadySummarized = summary?.summarizedMessageCount ?? 0;
	const cut = chooseCut(shortened, alreadySummarized, threshold / 2 - estimateRequestTokens(system, [], tools) - expectedSummaryTokens);
	if (cut === undefined) return undefined;
	const turnsToFold = shortened.slice(alreadySummarized, cut);
	// Folding in fewer tokens than a summary takes would make the request no smaller, only cost a call.
	if (turnsToFold.reduce((sum, message) => sum + estimateMessageTokens(message), 0) <= expectedSummaryTokens) return undefined;

	const response = await deps.model.generate({
		system: summaryInstructions,
		messages: [summaryRequestMessage(summary?.text, turnsToFold)],
		tools: [],
		maxOutputTokens: summaryMaxOutputTokens,
		signal: deps.signal,
	});
	const text = extractText(response.message).trim();
	if (text === '') {
		throw new EmptySummaryError(`The model '${response.modelId}' returned an empty summary of the run's older turns (stop reason: ${response.stopReason}), so they could not be shortened.`, response.usage);
	}
	return { summary: text, summarizedMessageCount: cut, usage: response.usage };
}

/**
 * The earliest safe cut after the summarised messages whose kept part fits `keptTokenTarget`, or,
 * when none fits, the latest one that still keeps the latest assistant message. Undefined when no
 * cut would summarise anything new.
 */
function chooseCut(messages: readonly Message[], alreadySummarized: number, keptTokenTarget: number): number | undefined {
	const latestAssistant = messages.findLastIndex((message) => message.role === 'assistant');
	let keptTokens = messages.slice(alreadySummarized + 1).reduce((sum, message) => sum + estimateMessageTokens(message), 0);
	let latestSafeCut: number | undefined;
	for (let index = alreadySummarized + 1; index <= latestAssistant; index += 1) {
		if (isSafeCut(messages, index)) {
			if (keptTokens <= keptTokenTarget) return index;
			latestSafeCut = index;
		}
		keptTokens -= estimateMessageTokens(messages[index]);
	}
	return latestSafeCut;
}

/** The summarising call answered without a summary; its usage still counts. */
export class EmptySummaryError extends Error {
	constructor(
		message: string,
		readonly usage: Usage,
	) {
		super(message);
		this.name = 'EmptySummaryError';
	}
}
