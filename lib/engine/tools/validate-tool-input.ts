import { compileJsonSchema, type ValidationResult } from '../schema/json-schema-validator';
import type { Tool } from './tool';
import { unsafeToolInputProblem } from './tool-input-safety';

/** The input to pass to `execute`, or a tool error for the model saying how to call the tool. */
export type ToolInputValidation = { ok: true; input: unknown } | { ok: false; message: string };

/** The schema is repeated in the error so the model can correct the call without scrolling back. */
const maxSchemaCharactersInMessage = 2000;
const maxEchoedInputCharacters = 200;

/**
 * Checks a tool call's arguments against the tool's input schema. Never throws: every problem,
 * including a tool whose own schema is broken, becomes a message the model reads as a tool error.
 */
export function validateToolInput(tool: Tool, input: unknown): ToolInputValidation {
	const compiled = compileJsonSchema(tool.inputSchema, {
		subject: `The input schema of tool '${tool.name}'`,
		fixHint: 'Fix the tool definition in the workflow.',
	});
	if (!compiled.ok) return { ok: false, message: `Tool '${tool.name}' cannot be called. ${compiled.message} Continue without this tool.` };

	const candidate = withoutEmptyArguments(input);
	const validation = validateSafely(compiled.validate, candidate);
	if (validation.valid) return { ok: true, input: candidate };
	if (typeof candidate === 'string') {
		// Some models encode the arguments object twice; a JSON string that holds valid arguments is accepted.
		const decoded = parseJson(candidate);
		if (!decoded.ok) return invalid(tool, `the arguments were not valid JSON (received: ${JSON.stringify(echo(candidate))})`);
		const decodedValidation = validateSafely(compiled.validate, decoded.value);
		if (decodedValidation.valid) return { ok: true, input: decoded.value };
		return invalid(tool, decodedValidation.errors.join('; '));
	}
	return invalid(tool, validation.errors.join('; '));
}

/** Arguments must be plain data before the schema is asked: what a gate checks is what the tool gets. */
function validateSafely(validate: (value: unknown) => ValidationResult, value: unknown): ValidationResult {
	const problem = unsafeToolInputProblem(value);
	return problem === undefined ? validate(value) : { valid: false, errors: [problem] };
}

/** Models (and OpenAI-compatible servers) send no arguments or "" for tools that take none. */
function withoutEmptyArguments(input: unknown): unknown {
	if (input === undefined) return {};
	if (typeof input === 'string' && input.trim() === '') return {};
	return input;
}

function invalid(tool: Tool, problem: string): ToolInputValidation {
	return {
		ok: false,
		message: `Invalid arguments for tool '${tool.name}': ${problem}. Call the tool again with arguments matching its schema: ${echoSchema(tool)}`,
	};
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

function echo(text: string): string {
	return text.length <= maxEchoedInputCharacters ? text : `${text.slice(0, maxEchoedInputCharacters)}…`;
}

function echoSchema(tool: Tool): string {
	const text = JSON.stringify(tool.inputSchema);
	return text.length <= maxSchemaCharactersInMessage ? text : `${text.slice(0, maxSchemaCharactersInMessage)}…`;
}
