import { compileJsonSchema } from '../../../lib/engine/schema/json-schema-validator';
import { jsonSchemaFromExample } from '../../../lib/engine/schema/schema-from-example';

describe('jsonSchemaFromExample', () => {
	it('describes an object with every key required', () => {
		expect(jsonSchemaFromExample({ city: 'Berlin', temperature: 21.5, days: 3, sunny: true, note: null })).toEqual({
			type: 'object',
			properties: {
				city: { type: 'string' },
				temperature: { type: 'number' },
				days: { type: 'integer' },
				sunny: { type: 'boolean' },
				note: { type: 'null' },
			},
			required: ['city', 'temperature', 'days', 'sunny', 'note'],
		});
	});

	it('merges array elements: keys missing somewhere become optional, numbers widen, null becomes nullable', () => {
		const schema = jsonSchemaFromExample([
			{ name: 'a', score: 1, tag: 'x' },
			{ name: 'b', score: 2.5, tag: null, extra: [1] },
		]);
		expect(schema).toEqual({
			type: 'array',
			items: {
				type: 'object',
				properties: {
					name: { type: 'string' },
					score: { type: 'number' },
					tag: { type: ['string', 'null'] },
					extra: { type: 'array', items: { type: 'integer' } },
				},
				required: ['name', 'score', 'tag'],
			},
		});
	});

	it('leaves the items of an empty array open', () => {
		expect(jsonSchemaFromExample({ tags: [] })).toEqual({
			type: 'object',
			properties: { tags: { type: 'array' } },
			required: ['tags'],
		});
	});

	it('keeps the first element kind when elements disagree', () => {
		expect(jsonSchemaFromExample(['a', 1])).toEqual({ type: 'array', items: { type: 'string' } });
	});

	it('produces a schema the validator accepts and that matches the example', () => {
		const example = { order: { id: 'A-1', lines: [{ sku: 'x', quantity: 2 }] }, total: 9.99 };
		const compiled = compileJsonSchema(jsonSchemaFromExample(example));
		if (!compiled.ok) throw new Error(compiled.message);
		expect(compiled.validate(example)).toEqual({ valid: true });
		expect(compiled.validate({ order: { id: 'A-1', lines: [{ sku: 'x' }] }, total: 1 })).toEqual({
			valid: false,
			errors: ["/order/lines/0: must have required property 'quantity'"],
		});
	});
});
