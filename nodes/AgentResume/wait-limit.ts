import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

const millisecondsPerUnit: Readonly<Record<string, number>> = {
	minutes: 60_000,
	hours: 3_600_000,
	days: 86_400_000,
};

/** The "Limit Wait Time" parameters as a duration; `undefined` = wait until someone decides. */
export function waitLimitMilliseconds(context: IExecuteFunctions): number | undefined {
	if (context.getNodeParameter('limitWaitTime', 0, false) !== true) return undefined;
	const amount = Number(context.getNodeParameter('resumeAmount', 0, 1));
	const unit = String(context.getNodeParameter('resumeUnit', 0, 'hours'));
	const perUnit = millisecondsPerUnit[unit];
	if (!Number.isFinite(amount) || amount < 0 || perUnit === undefined) {
		throw new NodeOperationError(context.getNode(), `The wait time limit ${amount} ${unit} is not valid`, {
			description: 'Set Amount to a number of minutes, hours or days of 0 or more.',
		});
	}
	return Math.round(amount * perUnit);
}
