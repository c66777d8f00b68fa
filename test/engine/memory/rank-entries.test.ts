import { rankEntries, tokenize } from '../../../lib/engine/memory/rank-entries';
import { storedEntry, testNow } from './memory-fakes';

describe('rankEntries', () => {
	it('puts the entry that shares words with the task above more important but unrelated ones', () => {
		const acme = storedEntry('Customer ACME wants invoices in EUR, never USD.', { importance: 2, ageDays: 60 });
		const coffee = storedEntry('The office coffee machine is broken.', { importance: 5, ageDays: 0 });
		const ranked = rankEntries([coffee, acme], 'Send the invoice to ACME', testNow);

		expect(ranked.map(({ entry }) => entry.content)).toEqual([acme.content, coffee.content]);
		expect(ranked[0].relevance).toBe(1);
		expect(ranked[1].relevance).toBe(0);
	});

	it('prefers the rarer matching word (BM25) when entries match different words', () => {
		const common = [1, 2, 3].map((n) => storedEntry(`Report ${n} was sent on time.`, { ageDays: n }));
		const rare = storedEntry('The Zurich report needs a signature.', { ageDays: 5 });
		const ranked = rankEntries([...common, rare], 'Zurich report', testNow);

		expect(ranked[0].entry).toBe(rare);
	});

	it('orders equally relevant entries by importance, then by recency', () => {
		const old = storedEntry('Shipping to Norway takes five days.', { importance: 3, ageDays: 90 });
		const recent = storedEntry('Shipping to Norway costs extra money.', { importance: 3, ageDays: 1 });
		const important = storedEntry('Shipping to Norway needs customs forms.', { importance: 5, ageDays: 90 });
		const ranked = rankEntries([old, recent, important], 'shipping Norway', testNow);

		expect(ranked.map(({ entry }) => entry)).toEqual([important, recent, old]);
	});

	it('ranks by importance and recency alone when nothing matches the task', () => {
		const low = storedEntry('Likes green.', { importance: 1 });
		const high = storedEntry('Never call after 6 pm.', { importance: 5 });
		expect(rankEntries([low, high], 'zzz', testNow).map(({ entry }) => entry)).toEqual([high, low]);
		expect(rankEntries([], 'anything', testNow)).toEqual([]);
	});

	it('matches tags as well as content', () => {
		const tagged = storedEntry('Use the short form.', { tags: ['contracts'] });
		const other = storedEntry('Use the long form.');
		expect(rankEntries([other, tagged], 'contracts', testNow)[0].entry).toBe(tagged);
	});
});

describe('tokenize', () => {
	it('lower-cases words of any script, drops stop words and a plural s', () => {
		expect(tokenize('The Invoices of Müller & Søn, 2024!')).toEqual(['invoice', 'müller', 'søn', '2024']);
		expect(tokenize('Address class')).toEqual(['address', 'class']);
	});
});
