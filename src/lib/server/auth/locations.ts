/** The places where training happens: library branches, senior centres, the volunteer office. */
import { v7 as uuid } from 'uuid';
import type { OfficeDatabase } from '../db/connection';
import { LOCATION_KINDS, type LocationKind } from '../../domain/auth/roles';
import { audit } from './audit';
import { ok, problem, type Outcome } from './outcome';

export interface Location {
	id: string;
	name: string;
	kind: LocationKind;
	address: string | null;
	archived: boolean;
}

export interface LocationInput {
	name: string;
	kind: string;
	address: string;
}

export async function locationProblem(
	{ db }: OfficeDatabase,
	input: LocationInput,
	editing?: string
): Promise<(Outcome<never> & { ok: false }) | null> {
	const name = input.name.trim();
	if (name.length < 2 || name.length > 100) return problem('office:locations.nameInvalid', 'name');
	if (!LOCATION_KINDS.includes(input.kind as LocationKind)) {
		return problem('office:locations.kindInvalid', 'kind');
	}
	if (input.address.length > 200) return problem('office:locations.addressInvalid', 'address');
	const taken = await db
		.selectFrom('locations')
		.select('id')
		.where('name', '=', name)
		.executeTakeFirst();
	if (taken && taken.id !== editing) return problem('office:locations.nameTaken', 'name');
	return null;
}

export async function listLocations({ db }: OfficeDatabase): Promise<Location[]> {
	const rows = await db.selectFrom('locations').selectAll().orderBy('name').execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		kind: r.kind as LocationKind,
		address: r.address,
		archived: r.archived_at !== null
	}));
}

export async function createLocation(
	office: OfficeDatabase,
	input: LocationInput,
	actor: { staffId: string }
): Promise<Outcome<{ id: string }>> {
	const invalid = await locationProblem(office, input);
	if (invalid) return invalid;
	const id = uuid();
	await office.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('locations')
			.values({
				id,
				name: input.name.trim(),
				kind: input.kind,
				address: input.address.trim() || null,
				created_at: new Date().toISOString(),
				archived_at: null
			})
			.execute();
		await audit(tx, {
			action: 'location.create',
			staffId: actor.staffId,
			target: id,
			locationId: id
		});
	});
	return ok({ id });
}

export async function updateLocation(
	office: OfficeDatabase,
	id: string,
	input: LocationInput & { archived: boolean },
	actor: { staffId: string }
): Promise<Outcome> {
	const current = await office.db
		.selectFrom('locations')
		.select(['id', 'archived_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!current) return problem('office:locations.notFound');
	const invalid = await locationProblem(office, input, id);
	if (invalid) return invalid;
	await office.db.transaction().execute(async (tx) => {
		await tx
			.updateTable('locations')
			.set({
				name: input.name.trim(),
				kind: input.kind,
				address: input.address.trim() || null,
				archived_at: input.archived ? (current.archived_at ?? new Date().toISOString()) : null
			})
			.where('id', '=', id)
			.execute();
		await audit(tx, {
			action: 'location.update',
			staffId: actor.staffId,
			target: id,
			locationId: id,
			details: { archived: input.archived }
		});
	});
	return ok(undefined);
}
