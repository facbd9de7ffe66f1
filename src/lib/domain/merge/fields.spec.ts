import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../hlc';
import { mergeFields, type FieldChange, type Stamped } from './fields';

type F = 'name' | 'lang';

const stamp = fc
	.record({
		ms: fc.integer({ min: 1, max: 5 }),
		counter: fc.integer({ min: 0, max: 2 }),
		node: fc.constantFrom('aaaa', 'bbbb', 'cccc')
	})
	.map(formatHlc);

const change: fc.Arbitrary<FieldChange<F>> = fc.record({
	fields: fc.record(
		{ name: fc.constantFrom('Erna', 'Ernestine', 'E.'), lang: fc.constantFrom('de', 'en') },
		{ requiredKeys: [] }
	),
	stamp,
	base: fc.record({ name: stamp, lang: stamp }, { requiredKeys: [] })
});

function applyAll(changes: FieldChange<F>[]) {
	let state: Partial<Record<F, Stamped>> = {};
	let conflicts = 0;
	for (const c of changes) {
		const result = mergeFields(state, c);
		state = result.fields;
		conflicts += result.conflicts.length;
	}
	return { state, conflicts };
}

describe('mergeFields', () => {
	it('the later stamp wins each field, whatever the order the changes arrive in', () => {
		const scenario = fc
			.array(change, { maxLength: 8 })
			// Stamps are unique per change in real life: one device, one clock tick each.
			.map((cs) => cs.filter((c, i) => cs.findIndex((d) => d.stamp === c.stamp) === i))
			.chain((cs) =>
				fc.tuple(
					fc.constant(cs),
					fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length })
				)
			);
		fc.assert(
			fc.property(scenario, ([inOrder, shuffled]) => {
				expect(applyAll(shuffled).state).toEqual(applyAll(inOrder).state);
			})
		);
	});

	it('applying a change twice changes nothing the second time', () => {
		fc.assert(
			fc.property(fc.array(change, { minLength: 1, maxLength: 5 }), (cs) => {
				const once = applyAll(cs).state;
				const again = mergeFields(once, cs.at(-1)!);
				expect(again.fields).toEqual(once);
				expect(again.changed).toBe(false);
			})
		);
	});

	it('flags two edits that did not know of each other and disagree, and keeps the later', () => {
		const first = formatHlc({ ms: 1, counter: 0, node: 'aaaa' });
		const state = { name: { value: 'Erna', stamp: first } };
		const a = mergeFields<F>(state, {
			fields: { name: 'Erna M.' },
			stamp: formatHlc({ ms: 3, counter: 0, node: 'aaaa' }),
			base: { name: first }
		});
		const b = mergeFields<F>(a.fields, {
			fields: { name: 'Ernestine' },
			stamp: formatHlc({ ms: 2, counter: 0, node: 'bbbb' }),
			base: { name: first }
		});
		expect(b.fields.name?.value).toBe('Erna M.');
		expect(b.conflicts).toEqual([
			{
				field: 'name',
				kept: a.fields.name,
				other: { value: 'Ernestine', stamp: formatHlc({ ms: 2, counter: 0, node: 'bbbb' }) }
			}
		]);
	});

	it('does not flag an edit made with the current value in view', () => {
		const first = formatHlc({ ms: 1, counter: 0, node: 'aaaa' });
		const result = mergeFields<F>(
			{ name: { value: 'Erna', stamp: first } },
			{
				fields: { name: 'Erna M.' },
				stamp: formatHlc({ ms: 2, counter: 0, node: 'bbbb' }),
				base: { name: first }
			}
		);
		expect(result.conflicts).toEqual([]);
		expect(result.fields.name?.value).toBe('Erna M.');
	});
});
