import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// n8n's community-node rules in their self-hosted flavour. `no-runtime-dependencies` is off on
// purpose: this package is for self-hosted n8n and needs the provider and S3 SDKs at run time.
export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-local/**', 'coverage/**', 'test-artifacts/**', '*.js'] },
	{ files: ['package.json'], languageOptions: { parser: jsoncParser } },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// SDKs are required lazily inside functions: n8n loads every community node at start-up.
			'@typescript-eslint/no-require-imports': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
		rules: {
			...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport.rules,
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
);
