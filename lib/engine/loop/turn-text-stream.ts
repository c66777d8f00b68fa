import type { StopReason } from '../model/language-model';

/** Streams each model turn's text; `turnEnded` tells it how the turn ended. */
export type TurnTextStream = { forTurn(): (delta: string) => void; turnEnded(stopReason: StopReason): void };

/**
 * Answer text as a chat reads it: the text of separate turns ("Let me check." … "It is sunny.") is
 * set apart by a blank line, while a turn that continues an answer cut off by the output-token
 * limit joins on without one, since it is the same answer.
 */
export function turnTextStream(streamText: (delta: string) => void): TurnTextStream {
	let streamedBefore = false;
	let continuesAnswer = false;
	return {
		forTurn() {
			let firstDelta = true;
			return (delta) => {
				if (delta === '') return;
				if (firstDelta && streamedBefore && !continuesAnswer) streamText('\n\n');
				firstDelta = false;
				streamedBefore = true;
				streamText(delta);
			};
		},
		turnEnded(stopReason) {
			continuesAnswer = stopReason === 'max-tokens';
		},
	};
}
