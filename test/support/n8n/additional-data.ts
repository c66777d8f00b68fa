import type { ExecutionLifecycleHooks } from 'n8n-core';
import { ExternalSecretsProxy } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { TestCredentialsHelper, type TestCredentials } from './credentials-helper';

/** Where the fake instance says it lives; nothing listens there. */
export const testInstanceBaseUrl = 'http://localhost:5678';

/**
 * The per-execution services n8n's CLI normally provides to WorkflowExecute. Only credentials,
 * URLs and lifecycle hooks are real; sub-workflows and task runners are refused with a clear error.
 */
export function createAdditionalData(options: {
	credentials: TestCredentials;
	hooks: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
}): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(options.credentials),
		hooks: options.hooks,
		executionId: options.executionId,
		workflowId: options.workflowId,
		userId: 'test-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${testInstanceBaseUrl}/rest`,
		instanceBaseUrl: testInstanceBaseUrl,
		formBaseUrl: `${testInstanceBaseUrl}/form`,
		formWaitingBaseUrl: `${testInstanceBaseUrl}/form-waiting`,
		formTestBaseUrl: `${testInstanceBaseUrl}/form-test`,
		webhookBaseUrl: `${testInstanceBaseUrl}/webhook`,
		webhookWaitingBaseUrl: `${testInstanceBaseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${testInstanceBaseUrl}/webhook-test`,
		mcpBaseUrl: `${testInstanceBaseUrl}/mcp`,
		mcpTestBaseUrl: `${testInstanceBaseUrl}/mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		logAiEvent: () => {},
		sendDataToUI: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('The in-process test runner cannot run sub-workflows.');
		},
		startRunnerTask: async () => {
			throw new Error('The in-process test runner has no task runners (Code node).');
		},
	};
}
