const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 30000,
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
			transform,
		},
		{
			// Against a real n8n, installed once (cached outside the clone) by the global setup.
			displayName: 'e2e',
			testEnvironment: 'node',
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.test.ts'],
			transform,
			globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
			setupFilesAfterEnv: ['<rootDir>/test/e2e/support/e2e-timeout.ts'],
		},
	],
};
