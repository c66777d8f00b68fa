import type { OutputSpec } from '../agent-spec';
import type { JsonValue } from '../model/messages';
import { compileJsonSchema } from '../schema/json-schema-validator';

export type FinalAnswer = { ok: true; output: JsonValue } | { ok: false; problem: string };

/** Checks a final answer against the output spec: text passes as it is; JSON must parse and validate. */
export type FinalAnswerReader = (text: string) => FinalAnswer;

/**
 * Builds the reader once per run. Throws when the JSON Schema itself is invalid: that is a
 * configuration error the workflow author must fix, not something the model can repair.
 */
export function createFinalAnswerReader(output: OutputSpec): FinalAnswerReader {
	if (output.type === 'text') return (text) => ({ ok: true, output: text });
	const compiled = compileJsonSchema(output.schema);
	if (!compiled.ok) throw new Error(compiled.message);
	return (text) => {
		const parsed = parseJsonAnswer(text);
		if (!parsed.ok) return parsed;
		const validation = compiled.validate(parsed.output);
		if (validation.valid) return parsed;
		return { ok: false, problem: `it does not match the JSON Schema: ${validation.errors.join('; ')}` };
	};
}

/** Accepts bare JSON or JSON inside one Markdown code fence, which models add despite instructions. */
function parseJsonAnswer(text: string): FinalAnswer {
	const trimmed = text.trim();
	const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
	const candidate = fenced ? fenced[1] : trimmed;
	if (candidate === '') return { ok: false, problem: 'it is empty' };
	try {
		return { ok: true, output: JSON.parse(candidate) as JsonValue };
	} catch (error) {
		return { ok: false, problem: `it is not valid JSON (${(error as Error).message})` };
	}
}
