import 'fake-indexeddb/auto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { updateLearner } from '../../src/lib/client/db/learners';
import { DIALECTS, type TestOffice } from './support/databases';
import {
	DAY_MS,
	adoptLearner,
	closeTablets,
	expectConverged,
	openTablet,
	serverLearner,
	serverEvents,
	learnersOf
} from './support/devices';
import { closeOffice, openOffice } from './support/offices';

const offices: TestOffice[] = [];
afterEach(async () => {
	await closeTablets();
	for (const office of offices.splice(0)) await closeOffice(office);
});
async function open(d: (typeof DIALECTS)[number]) {
	const o = await openOffice(d);
	offices.push(o);
	return o;
}

describe.each(DIALECTS)('probe %s', (dialect) => {
	it('P1 backfill of an adopted learner', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const b = await openTablet(office, 'b');
		const l = await a.newLearner('Erna');
		await a.record(l.id, 5);
		await a.sync();
		const m = await b.newLearner('Max');
		await b.record(m.id, 2);
		await b.sync();
		await adoptLearner(b, (await a.db.learners.get(l.id))!);
		await b.sync();
		console.log(
			'P1',
			dialect,
			'b events',
			await b.db.progress.count(),
			'server for b',
			(await serverEvents(office, await learnersOf(office, b.device.id))).length
		);
		await expectConverged(office, b);
	});
	it('P2 edit after seeing a profile stamped by a clock ahead', async () => {
		const office = await open(dialect);
		const ahead = await openTablet(office, 'ahead', { skewMs: 3 * DAY_MS });
		const a = await openTablet(office, 'a');
		const l = await ahead.newLearner('Erna');
		await ahead.sync();
		// a learns of her by working with her
		await a.record(l.id, 1);
		await a.sync();
		const local = (await a.db.learners.get(l.id))!;
		console.log('P2 a has', local?.name);
		await updateLearner(a.db, a.device, local, { name: 'Erna Schmidt' });
		await a.sync();
		await a.sync();
		console.log(
			'P2',
			dialect,
			'server',
			(await serverLearner(office, l.id)).name,
			'a',
			(await a.db.learners.get(l.id))!.name
		);
		await expectConverged(office, a);
	});
	it('P3 concurrent edits of different fields', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const b = await openTablet(office, 'b');
		const l = await a.newLearner('Erna');
		await a.sync();
		await adoptLearner(b, (await a.db.learners.get(l.id))!);
		await b.sync();
		await a.sync();
		await updateLearner(a.db, a.device, (await a.db.learners.get(l.id))!, { name: 'Erna M.' });
		await updateLearner(b.db, b.device, (await b.db.learners.get(l.id))!, { lang: 'tr' });
		let holder: pg.Client | undefined;
		if (dialect === 'postgres') {
			holder = new pg.Client({ connectionString: office.url });
			await holder.connect();
			await holder.query('begin');
			await holder.query('select * from learners where id = $1 for update', [l.id]);
		}
		const both = Promise.all([a.sync(), b.sync()]);
		if (holder) {
			for (let i = 0; i < 200; i++) {
				await holder.query('select pg_stat_clear_snapshot()');
				const { rows } = await holder.query(
					`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
				);
				await holder.query('select pg_stat_clear_snapshot()');
				if (i % 50 === 0)
					console.log(
						'P3 activity',
						JSON.stringify(
							(
								await holder.query(
									`select state, wait_event_type, wait_event, left(query, 60) q from pg_stat_activity where datname = current_database()`
								)
							).rows
						)
					);
				if (rows[0].n >= 2) break;
				await new Promise((r) => setTimeout(r, 10));
			}
			await holder.query('commit');
			await holder.end();
		}
		await both;
		await a.sync();
		await b.sync();
		console.log('P3', dialect, await serverLearner(office, l.id));
		expect(await serverLearner(office, l.id)).toMatchObject({ name: 'Erna M.', lang: 'tr' });
	});
	it('P4 rename with spaces', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const l = await a.newLearner('Erna');
		await a.sync();
		await updateLearner(a.db, a.device, (await a.db.learners.get(l.id))!, { name: ' Erna M. ' });
		await a.sync();
		await a.sync();
		console.log(
			'P4',
			dialect,
			JSON.stringify((await serverLearner(office, l.id)).name),
			JSON.stringify((await a.db.learners.get(l.id))!.name)
		);
		await expectConverged(office, a);
	});
});
