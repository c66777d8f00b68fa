import { compileJsonSchema, type CompiledJsonSchema } from '../../../lib/engine/schema/json-schema-validator';

function compiled(schema: unknown): Extract<CompiledJsonSchema, { ok: true }> {
	const result = compileJsonSchema(schema);
	if (!result.ok) throw new Error(`expected the schema to compile: ${result.message}`);
	return result;
}

describe('compileJsonSchema', () => {
	const weatherSchema = {
		type: 'object',
		properties: {
			name: { type: 'string' },
			items: { type: 'array', items: { type: 'object', properties: { temperature: { type: 'number' } } } },
		},
		required: ['name'],
	};

	it('accepts a value that matches a draft-07 schema', () => {
		expect(compiled(weatherSchema).validate({ name: 'Berlin', items: [{ temperature: 21.5 }] })).toEqual({ valid: true });
	});

	it('reports every problem with its location, phrased for the model to fix', () => {
		const result = compiled(weatherSchema).validate({ items: [{ temperature: 'warm' }] });
		expect(result).toEqual({
			valid: false,
			errors: ["root: must have required property 'name'", '/items/0/temperature: must be number'],
		});
	});

	it('names unexpected properties and the allowed values', () => {
		const schema = {
			type: 'object',
			properties: { unit: { enum: ['celsius', 'fahrenheit'] }, kind: { const: 'forecast' } },
			additionalProperties: false,
		};
		const result = compiled(schema).validate({ unit: 'kelvin', kind: 'report', extra: 1 });
		expect(result.valid).toBe(false);
		expect(!result.valid && result.errors).toEqual([
			"root: must NOT have additional property 'extra'",
			'/unit: must be one of "celsius", "fahrenheit"',
			'/kind: must be equal to "forecast"',
		]);
	});

	it('validates 2020-12 schemas with 2020-12 keywords when $schema says so', () => {
		const schema = {
			$schema: 'https://json-schema.org/draft/2020-12/schema',
			type: 'array',
			prefixItems: [{ type: 'string' }, { type: 'integer' }],
			$defs: { unused: { type: 'null' } },
		};
		const validator = compiled(schema);
		expect(validator.validate(['a', 1])).toEqual({ valid: true });
		expect(validator.validate([1, 'a'])).toEqual({ valid: false, errors: ['/0: must be string', '/1: must be integer'] });
	});

	it('accepts the draft-07 $schema URI however it is spelled', () => {
		for (const uri of ['http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft-07/schema']) {
			expect(compiled({ $schema: uri, type: 'string' }).validate(3)).toEqual({ valid: false, errors: ['root: must be string'] });
		}
	});

	it('checks common formats and ignores formats it does not know', () => {
		const validator = compiled({
			type: 'object',
			properties: {
				when: { type: 'string', format: 'date-time' },
				day: { type: 'string', format: 'date' },
				email: { type: 'string', format: 'email' },
				custom: { type: 'string', format: 'postal-code' },
			},
		});
		expect(validator.validate({ when: '2024-02-29T10:00:00Z', day: '2024-02-29', email: 'a@example.com', custom: 'anything' })).toEqual({
			valid: true,
		});
		expect(validator.validate({ when: 'yesterday', day: '2023-02-29', email: 'nobody' })).toEqual({
			valid: false,
			errors: ['/when: must match format "date-time"', '/day: must match format "date"', '/email: must match format "email"'],
		});
	});

	it('explains an invalid type name and where to fix it', () => {
		const result = compileJsonSchema({ type: 'object', properties: { age: { type: 'integr' } } });
		expect(result).toEqual({
			ok: false,
			message:
				'The output JSON Schema is invalid: /properties/age/type must be one of "array", "boolean", "integer", "null", "number", "object", "string". ' +
				"Fix the schema in 'JSON Schema'.",
		});
	});

	it('rejects a schema that is not an object', () => {
		expect(compileJsonSchema('{"type": "object"}')).toEqual({
			ok: false,
			message: `The output JSON Schema is invalid: it must be a JSON object such as {"type": "object"}, not a string. Fix the schema in 'JSON Schema'.`,
		});
		expect(compileJsonSchema([])).toMatchObject({ ok: false, message: expect.stringContaining('not an array') });
	});

	it('reports references that lead nowhere', () => {
		const result = compileJsonSchema({ type: 'object', properties: { a: { $ref: '#/definitions/missing' } } });
		expect(result).toMatchObject({ ok: false, message: expect.stringContaining("can't resolve reference #/definitions/missing") });
	});

	it('refuses a $schema it cannot honour instead of guessing', () => {
		const result = compileJsonSchema({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'string' });
		expect(result).toMatchObject({ ok: false, message: expect.stringContaining('draft-04/schema#" is not supported') });
	});

	it('uses a label that names the schema and the fix', () => {
		const result = compileJsonSchema({ type: 7 }, { subject: "The input schema of tool 'lookup'", fixHint: 'Fix the tool.' });
		expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^The input schema of tool 'lookup' is invalid: .* Fix the tool\.$/) });
	});

	it('compiles two different schemas that share an $id', () => {
		const first = compiled({ $id: 'https://example.com/answer', type: 'string' });
		const second = compiled({ $id: 'https://example.com/answer', type: 'number' });
		expect(first.validate('x')).toEqual({ valid: true });
		expect(second.validate(1)).toEqual({ valid: true });
	});

	it('reuses the compiled validator for an equal schema', () => {
		expect(compileJsonSchema({ type: 'boolean', description: 'cached' })).toBe(compileJsonSchema({ type: 'boolean', description: 'cached' }));
	});
});
