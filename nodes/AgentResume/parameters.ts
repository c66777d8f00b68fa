import type { INodeProperties } from 'n8n-workflow';

import { parameterProperties as agentParameters } from '../AgentNode/parameters';

/** The agent's own storage parameters: this node must read and write exactly where the agent does. */
function agentParameter(name: string): INodeProperties {
	const found = agentParameters.find((parameter) => parameter.name === name);
	if (found === undefined) throw new Error(`The Durable AI Agent node has no "${name}" parameter to share with the Resume node.`);
	return found;
}

function agentOption(name: string): INodeProperties {
	const found = (agentParameter('options').options ?? []).find((option) => 'name' in option && option.name === name);
	if (found === undefined || !('type' in found)) throw new Error(`The Durable AI Agent node has no "${name}" option to share with the Resume node.`);
	return found;
}

const whenLimited = { show: { limitWaitTime: [true] } };

/** Every parameter of the Durable AI Agent Resume node, in panel order. */
export const resumeParameterProperties: INodeProperties[] = [
	{
		displayName:
			'Connect the Durable AI Agent\'s "Needs approval" output here, and this node\'s output back into the same agent. The approval link is in each paused item (<code>{{ $json.approvalUrl }}</code>): send it from a branch above this node (n8n runs branches top to bottom).',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{ ...agentParameter('storage'), description: 'Must be the same storage as the Durable AI Agent that paused' },
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		description: 'Whether to stop waiting for a decision after a while',
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		displayOptions: whenLimited,
		description: 'How long to wait for a decision',
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		default: 'hours',
		displayOptions: whenLimited,
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Reject All',
				value: 'rejectAll',
				description: 'Undecided calls are rejected ("No decision before the time limit") and questions get "No answer before the time limit"; the agent continues',
			},
			{ name: 'Fail', value: 'fail', description: 'The agent fails those items, naming the pauses that were not decided' },
		],
		default: 'rejectAll',
		displayOptions: whenLimited,
		description: 'What happens to paused items nobody decided in time. The agent applies it when the items come back undecided.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [agentOption('localFolder')],
	},
];
