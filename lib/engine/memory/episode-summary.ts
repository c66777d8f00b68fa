import { excerpt } from './format-entry';
import { maxEntryContentCharacters } from './memory-entry';

/** What a finished run reports to memory. */
export type Episode = {
	runId: string;
	task: string;
	status: 'done' | 'failed';
	answer?: string;
	error?: string;
	toolsUsed: string[];
};

const maxTaskCharacters = 300;
const maxResultCharacters = 400;
const maxToolsListed = 15;

/**
 * The stored text of one episode: task, outcome, an excerpt of the answer or error, and the tools
 * used. Built from the run's data alone — no extra model call — so it costs nothing and is the same
 * every time for the same run.
 */
export function episodeSummary(episode: Episode): string {
	const lines = [`Task: ${excerpt(episode.task, maxTaskCharacters)}`, `Outcome: ${episode.status}`];
	if (episode.status === 'done' && episode.answer !== undefined && episode.answer.trim() !== '') {
		lines.push(`Answer: ${excerpt(episode.answer, maxResultCharacters)}`);
	}
	if (episode.status === 'failed' && episode.error !== undefined && episode.error.trim() !== '') {
		lines.push(`Error: ${excerpt(episode.error, maxResultCharacters)}`);
	}
	lines.push(`Tools used: ${toolList(episode.toolsUsed)}`);
	return lines.join('\n').slice(0, maxEntryContentCharacters);
}

function toolList(toolsUsed: readonly string[]): string {
	const names = [...new Set(toolsUsed)];
	if (names.length === 0) return 'none';
	const listed = names.slice(0, maxToolsListed).join(', ');
	return names.length > maxToolsListed ? `${listed} and ${names.length - maxToolsListed} more` : listed;
}
