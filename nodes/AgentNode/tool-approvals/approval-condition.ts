import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ApprovalPolicy } from '../../../lib/engine';

/** The one `{{ … }}` a condition consists of, with what is inside it. */
const singleExpression = /^\{\{([\s\S]*)\}\}$/;

type CompiledCondition = { evaluate(args: unknown): unknown };

/**
 * Turns a Tool Approvals condition such as `{{ $args.amount > 100 }}` into a policy. n8n compiles
 * it once per item, as a function of `$args`: the call's arguments then reach the condition as
 * data — never spliced into the expression text, where overflowing numbers, prototype keys or
 * `}}` in a value would change what the condition sees — and nothing is compiled per call. The
 * rest of n8n's expression context (`$json`, `$vars`, …) is the item's, as in any parameter.
 * Run-time errors reach the engine as thrown errors (n8n's evaluator would swallow them into an
 * empty value), and the engine holds any call whose condition does not give exactly `false`.
 */
export function conditionPolicy(context: IExecuteFunctions, itemIndex: number, toolName: string, rawCondition: string): ApprovalPolicy {
	const condition = rawCondition.trim().replace(/^=/, '').trim();
	const fail = (problem: string) =>
		new NodeOperationError(context.getNode(), `The approval condition for tool '${toolName}' cannot be used: ${problem}`, {
			itemIndex,
			description: "Write the condition as one expression that returns true (hold for approval) or false (run), e.g. {{ $args.amount > 100 }}. Or set 'Require Approval' to Always.",
		});
	const body = singleExpression.exec(condition)?.[1];
	if (body === undefined || body.trim() === '') throw fail(`${JSON.stringify(condition)} is not one {{ … }} expression.`);
	if (body.includes('{{') || body.includes('}}')) {
		throw fail('it contains {{ or }} inside the expression, where n8n cuts expressions; compare with a variable or a string built without them.');
	}
	let compiled: unknown;
	try {
		compiled = context.evaluateExpression(`{{ ({ evaluate: ($args) => (\n${body}\n) }) }}`, itemIndex);
	} catch (error) {
		throw fail(`n8n could not read it (${(error as Error).message}).`);
	}
	if (!isCompiledCondition(compiled)) {
		throw fail("n8n's expression engine did not return it as a function (an isolated expression engine, N8N_EXPRESSION_ENGINE, cannot hand functions to nodes).");
	}
	return { type: 'when', condition, evaluate: (args) => compiled.evaluate(args) };
}

function isCompiledCondition(value: unknown): value is CompiledCondition {
	return typeof value === 'object' && value !== null && typeof (value as { evaluate?: unknown }).evaluate === 'function';
}
