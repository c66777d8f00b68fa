import { ModelCallError } from '../model/model-error';

// What endpoints say when they do not support structured output: OpenAI-compatible servers name
// `response_format` or `json_schema`; the Anthropic API names `output_config` or `output_format`.
const structuredOutputWords = /response_format|json_schema|output_config|output_format|structured output/i;

/**
 * Whether a model call failed because the endpoint does not accept the structured-output request
 * (a 400 that names it). The run then asks for JSON by instructions only, validating and repairing
 * the answer as for any model without structured output.
 */
export function isStructuredOutputRejection(error: unknown): boolean {
	return error instanceof ModelCallError && error.kind === 'bad-request' && structuredOutputWords.test(error.message);
}
