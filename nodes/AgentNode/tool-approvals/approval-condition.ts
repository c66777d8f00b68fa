import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ApprovalPolicy } from '../../../lib/engine';

/** The one `{{ … }}` a condition consists of, with what is inside it. */
const singleExpression = /^\{\{([\s\S]*)\}\}$/;

/** A value the condition cannot produce by accident: proves `$args` reaches the expression as data. */
const probeArguments = Object.freeze({ durableAgentProbe: 'args-as-data' });

type ConditionResult = { value: unknown } | { error: string };

/**
 * Turns a Tool Approvals condition such as `{{ $args.amount > 100 }}` into a policy. The call's
 * arguments reach the condition as data — `$args` beside n8n's own `$json`, `$vars`, … — never
 * spliced into the expression text, where overflowing numbers, prototype keys or `}}` in a value
 * would change what the condition sees; the expression text is the same for every call, so n8n
 * compiles it once. The body runs inside a try/catch of its own because n8n's evaluator swallows
 * run-time errors into an empty value; the engine then holds any call whose condition does not
 * give exactly `false` (lib/engine/tools/approval-gate.ts). Works on n8n's legacy and isolated
 * (`vm`) expression engines alike: only data crosses into and out of the expression.
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
		throw fail('it is more than one {{ … }} expression, or has {{ or }} inside one, where n8n cuts expressions (build such text without them, e.g. "{" + "{").');
	}
	const guarded = `{{ (() => { try { return { value: (\n${body}\n) }; } catch (error) { return { error: String(error && error.message ? error.message : error) }; } })() }}`;
	const evaluateWith = (args: unknown): ConditionResult => conditionResult(evaluateWithArguments(context, guarded, itemIndex, args));

	let probe: ConditionResult;
	try {
		probe = conditionResult(evaluateWithArguments(context, '{{ (() => { try { return { value: $args.durableAgentProbe }; } catch (error) { return { error: String(error) }; } })() }}', itemIndex, probeArguments));
		// Compiles the condition now, so a syntax error fails the item at its start instead of holding every call.
		evaluateWith(probeArguments);
	} catch (error) {
		throw fail(`n8n could not read it (${(error as Error).message}).`);
	}
	if (!('value' in probe) || probe.value !== probeArguments.durableAgentProbe) {
		throw fail('this n8n version does not hand $args to expressions. Please report it, with your n8n version.');
	}
	return {
		type: 'when',
		condition,
		evaluate(args) {
			const result = evaluateWith(args);
			if ('error' in result) throw new Error(result.error);
			return result.value;
		},
	};
}

/**
 * `context.evaluateExpression` with `$args` added to the expression's variables. n8n builds those
 * variables from the execute context's `additionalKeys` (how it offers `$execution`, or `$response`
 * to pagination expressions); a view of the context with one more key changes nothing else.
 */
function evaluateWithArguments(context: IExecuteFunctions, expression: string, itemIndex: number, args: unknown): unknown {
	const base = context as IExecuteFunctions & { additionalKeys?: object };
	const withArguments = Object.create(base, { additionalKeys: { get: () => ({ ...base.additionalKeys, $args: args }) } }) as IExecuteFunctions;
	return withArguments.evaluateExpression(expression, itemIndex);
}

function conditionResult(value: unknown): ConditionResult {
	if (typeof value === 'object' && value !== null) {
		if ('value' in value) return { value: (value as { value: unknown }).value };
		if (typeof (value as { error?: unknown }).error === 'string') return { error: (value as { error: string }).error };
	}
	throw new Error(`n8n's expression engine gave ${JSON.stringify(value) ?? String(value)} instead of the condition's result`);
}
