import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { logFailure } from '../../../nodes/AgentNode/log-failure';

const node = { name: 'Order Agent' } as INode;

function contextLogging(lines: string[]): IExecuteFunctions {
	return {
		getNode: () => node,
		getExecutionId: () => '42',
		logger: { error: (message: string) => lines.push(message) },
	} as unknown as IExecuteFunctions;
}

describe("a failed agent item in n8n's log", () => {
	it('names the node, the execution, the message and the description', () => {
		const lines: string[] = [];
		const error = new NodeOperationError(node, 'model_error: The model server could not be reached', { description: 'Run r-1; transcript at /tmp/t' });

		logFailure(contextLogging(lines), error);

		expect(lines).toEqual(['Order Agent failed in execution 42: model_error: The model server could not be reached (Run r-1; transcript at /tmp/t)']);
	});
});
