/**
 * The report readers on a real SQLite file (server/db/readers.ts): read-only connections in
 * worker threads beside the server's own. They see what the server committed, refuse to
 * write, answer many statements at once each with its own rows, and a broken statement costs
 * only its own answer. (On PostgreSQL the reader is the server's pool: nothing to test apart.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshOffice, type TestOffice } from './support/databases';

describe('report readers on SQLite', () => {
	let office: TestOffice;

	beforeAll(async () => {
		office = await freshOffice('sqlite');
	});
	afterAll(async () => {
		await office?.dispose();
	});

	it('see at once what the server committed', async () => {
		await office.db
			.insertInto('server_meta')
			.values({ key: 'reader-test', value: 'one' })
			.execute();
		const first = await office.reader
			.selectFrom('server_meta')
			.select('value')
			.where('key', '=', 'reader-test')
			.executeTakeFirst();
		expect(first?.value).toBe('one');
		await office.db
			.updateTable('server_meta')
			.set({ value: 'two' })
			.where('key', '=', 'reader-test')
			.execute();
		const second = await office.reader
			.selectFrom('server_meta')
			.select('value')
			.where('key', '=', 'reader-test')
			.executeTakeFirst();
		expect(second?.value).toBe('two');
	});

	it('answer many statements at once, each with its own rows', async () => {
		const answers = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				sql<{ n: number }>`select ${i} * 3 as n`.execute(office.reader).then((r) => r.rows[0]!.n)
			)
		);
		expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => i * 3));
	});

	it('refuse to write, and leave the data as it was', async () => {
		await expect(
			office.reader.deleteFrom('server_meta').where('key', '=', 'reader-test').execute()
		).rejects.toThrow(/only reads|readonly/i);
		await expect(office.reader.transaction().execute(async () => {})).rejects.toThrow(
			/no transactions/
		);
		const kept = await office.db
			.selectFrom('server_meta')
			.select('value')
			.where('key', '=', 'reader-test')
			.executeTakeFirst();
		expect(kept?.value).toBe('two');
	});

	it('give a broken statement its own error and go on answering', async () => {
		await expect(sql`select * from no_such_table`.execute(office.reader)).rejects.toThrow(
			/no such table: no_such_table/
		);
		const after = await sql<{ n: number }>`select 7 as n`.execute(office.reader);
		expect(after.rows).toEqual([{ n: 7 }]);
	});

	it('let the planner know the tables once statistics are refreshed', async () => {
		office.refreshStatistics();
		const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_schema
			where name = 'sqlite_stat1'`.execute(office.reader);
		expect(rows[0]!.n).toBe(1);
	});
});
