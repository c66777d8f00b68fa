import { parseToolInput, toolInputForReplay } from '../../../lib/engine/model/parse-tool-input';

describe('parseToolInput', () => {
	test('JSON arguments are parsed', () => {
		expect(parseToolInput('{"city":"Paris","days":2}')).toEqual({ city: 'Paris', days: 2 });
	});

	test('no arguments at all mean an empty object', () => {
		expect(parseToolInput('')).toEqual({});
		expect(parseToolInput('  ')).toEqual({});
	});

	test('text that is not JSON is kept verbatim so validation can quote it back to the model', () => {
		expect(parseToolInput('{"city": "Par')).toBe('{"city": "Par');
	});
});

describe('toolInputForReplay', () => {
	test('objects go back unchanged; anything else becomes {} because providers only accept objects', () => {
		expect(toolInputForReplay({ city: 'Paris' })).toEqual({ city: 'Paris' });
		expect(toolInputForReplay('{"city": "Par')).toEqual({});
		expect(toolInputForReplay([1, 2])).toEqual({});
		expect(toolInputForReplay(null)).toEqual({});
	});
});
