import type { PendingCall } from '../pause/pending-call';
import type { ApprovalPolicy, Tool } from './tool';

/** Whether a validated call may run now, or is held for a person, with why. */
export type Gate = { held: false } | { held: true; kind: Extract<PendingCall['kind'], 'approval' | 'question'>; reason?: string };

const maxShownValueCharacters = 80;

/**
 * Applies a tool's approval policy to one validated call. Fails closed: a condition holds the call
 * unless it gives exactly `false` without error. The condition sees a frozen copy of the same
 * arguments the tool will receive, so it can neither be shown other values nor change them.
 */
export async function gateOf(tool: Tool, input: unknown): Promise<Gate> {
	const policy: ApprovalPolicy = tool.approval ?? { type: 'never' };
	switch (policy.type) {
		case 'never':
			return { held: false };
		case 'question':
			return { held: true, kind: 'question' };
		case 'always':
			return { held: true, kind: 'approval', reason: `Every call of '${tool.name}' needs approval (Tool Approvals: Always).` };
		case 'when':
			return await conditionGate(policy.condition, () => policy.evaluate(frozenCopy(input)));
	}
}

async function conditionGate(condition: string, evaluate: () => unknown): Promise<Gate> {
	const held = (reason: string): Gate => ({ held: true, kind: 'approval', reason });
	let value: unknown;
	try {
		value = await evaluate();
	} catch (error) {
		return held(`The approval condition ${condition} could not be evaluated: ${messageOf(error)}. A call is held unless its condition gives exactly false.`);
	}
	if (value === false) return { held: false };
	if (value === true) return held(`The approval condition ${condition} is true for these arguments.`);
	return held(`The approval condition ${condition} gave ${describe(value)}, not true or false. A call is held unless its condition gives exactly false.`);
}

function frozenCopy(input: unknown): unknown {
	return deepFreeze(structuredClone(input));
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const nested of Object.values(value)) deepFreeze(nested);
		Object.freeze(value);
	}
	return value;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing (undefined)';
	if (value === null) return 'null';
	if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
	const text = typeof value === 'string' ? JSON.stringify(value) : safeJson(value);
	const shown = text.length <= maxShownValueCharacters ? text : `${text.slice(0, maxShownValueCharacters)}…`;
	return `${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`} (${shown})`;
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}
