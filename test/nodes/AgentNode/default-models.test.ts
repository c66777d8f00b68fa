import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { priceOf } from '../../../lib/engine/budget/price-table';
import { parameterProperties } from '../../../nodes/AgentNode/parameters';

/**
 * The installed Anthropic SDK's own table of deprecated models (model id → end-of-life date): the
 * SDK warns on every request to one of them. Read from the installed package, so upgrading the SDK
 * re-checks the defaults against its newest table. The file is not in the package's exports map,
 * so it is required by path from the package's main entry.
 */
function installedSdkDeprecations(): Record<string, string> {
	const sdkDirectory = dirname(require.resolve('@anthropic-ai/sdk'));
	return (require(join(sdkDirectory, 'internal', 'data.js')) as { DEPRECATED_MODELS: Record<string, string> }).DEPRECATED_MODELS;
}

function defaultModel(provider: string): string {
	const property = parameterProperties.find((candidate) => candidate.name === 'model' && candidate.displayOptions?.show?.provider?.includes(provider));
	if (property === undefined) throw new Error(`No Model parameter is shown for provider ${provider}.`);
	return String(property.default);
}

const examplesDirectory = join(__dirname, '..', '..', '..', 'examples');

function exampleAnthropicModels(): Array<[string, string]> {
	return readdirSync(examplesDirectory)
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) => {
			const workflow = JSON.parse(readFileSync(join(examplesDirectory, file), 'utf8')) as { nodes: Array<{ parameters?: { provider?: string; model?: string } }> };
			return workflow.nodes.flatMap((node) => (node.parameters?.model && (node.parameters.provider ?? 'anthropic') === 'anthropic' ? [[file, node.parameters.model] as [string, string]] : []));
		});
}

describe('the models the node and its examples start with', () => {
	test('the SDK deprecation table is where this test expects it', () => {
		expect(Object.keys(installedSdkDeprecations()).length).toBeGreaterThan(0);
	});

	test("the node's default Anthropic model is not deprecated in the installed Anthropic SDK", () => {
		const model = defaultModel('anthropic');
		expect({ model, endOfLife: installedSdkDeprecations()[model] }).toEqual({ model, endOfLife: undefined });
	});

	test('no example workflow uses an Anthropic model the installed SDK lists as deprecated', () => {
		const deprecations = installedSdkDeprecations();
		const deprecatedInExamples = exampleAnthropicModels().filter(([, model]) => model in deprecations);
		expect(exampleAnthropicModels().length).toBeGreaterThan(0);
		expect(deprecatedInExamples).toEqual([]);
	});

	test.each(['anthropic', 'openAiCompatible'])('the default %s model has a price, so cost budgets work out of the box', (provider) => {
		expect(priceOf(defaultModel(provider))).toBeDefined();
	});
});
