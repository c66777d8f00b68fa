import { n8nChecksResumeSignatures } from '../../../nodes/shared/n8n-resume-signature';

describe('n8nChecksResumeSignatures', () => {
	it.each([
		['1.123.4', false],
		['2.13.9', false],
		['2.14.0', true],
		['2.41.0', true],
		['3.0.0', true],
	])('n8n-workflow %s → %s', (version, checks) => {
		expect(n8nChecksResumeSignatures(version)).toBe(checks);
	});

	it('reads the version of the n8n-workflow n8n provides', () => {
		expect(n8nChecksResumeSignatures()).toBe(true);
	});
});
