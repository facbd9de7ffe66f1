/**
 * First run: on a database without an administrator, the server makes a one-time setup code
 * and writes it to its log. Whoever can read the server's log can create the first admin in
 * the browser; a stranger who merely reaches the page first cannot. (Servers without a
 * browser at hand use `npm run admin -- create-admin`.)
 */
import type { OfficeDatabase } from '../db/connection';
import { formatCode, normalizeCode } from '../../domain/auth/codes';
import { createLocation, locationProblem } from './locations';
import { ok, problem, type Outcome } from './outcome';
import { LIMITS, countFailure, lockedUntil } from './rate-limit';
import { createStaff, hasAnyAdmin } from './staff';
import { digest, matchesDigest, newCode } from './tokens';

const SETUP_CODE = 'setup_code';

/** A fresh setup code when the office has no admin yet (each start replaces the last one). */
export async function prepareSetup(office: OfficeDatabase): Promise<string | null> {
	if (await hasAnyAdmin(office)) {
		await office.db.deleteFrom('server_meta').where('key', '=', SETUP_CODE).execute();
		return null;
	}
	const code = newCode();
	await office.db
		.insertInto('server_meta')
		.values({ key: SETUP_CODE, value: digest(code) })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value: digest(code) }))
		.execute();
	return formatCode(code);
}

export interface SetupInput {
	setupCode: string;
	email: string;
	name: string;
	password: string;
	locationName: string;
	locationKind: string;
}

export async function completeSetup(
	office: OfficeDatabase,
	input: SetupInput,
	address: string,
	now = new Date()
): Promise<Outcome<{ staffId: string }>> {
	if (await hasAnyAdmin(office)) return problem('office:setup.done');
	const key = `setup:address:${address}`;
	if (await lockedUntil(office, key, now)) return problem('office:setup.locked', 'setupCode');
	const stored = await office.db
		.selectFrom('server_meta')
		.select('value')
		.where('key', '=', SETUP_CODE)
		.executeTakeFirst();
	const code = normalizeCode(input.setupCode);
	if (!code || !matchesDigest(code, stored?.value ?? null)) {
		await countFailure(office, key, LIMITS.setup, now);
		return problem('office:setup.codeWrong', 'setupCode');
	}
	const placeInput = { name: input.locationName, kind: input.locationKind, address: '' };
	const badPlace = await locationProblem(office, placeInput);
	if (badPlace)
		return { ...badPlace, field: `location${badPlace.field === 'name' ? 'Name' : 'Kind'}` };
	const admin = await createStaff(
		office,
		{
			email: input.email,
			name: input.name,
			role: 'admin',
			locationIds: [],
			password: input.password
		},
		{ staffId: null }
	);
	if (!admin.ok) return admin;
	await createLocation(office, placeInput, { staffId: admin.value.id });
	await office.db.deleteFrom('server_meta').where('key', '=', SETUP_CODE).execute();
	return ok({ staffId: admin.value.id });
}
