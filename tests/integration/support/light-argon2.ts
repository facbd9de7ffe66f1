/**
 * Real argon2id with light parameters, for integration tests that make staff accounts but are
 * not about passwords: a hash at the library's defaults costs a third of a second here (the
 * HTTP suite keeps the real parameters). Use it as
 *
 *   vi.mock('argon2', (original) => import('./support/light-argon2').then((m) => m.lightArgon2(original)));
 *
 * (`vi.mock` is hoisted above the imports, so the module is imported inside the factory.)
 */
type Argon2 = typeof import('argon2');

export async function lightArgon2(
	importOriginal: <T>() => Promise<T>
): Promise<Argon2 & { default: Argon2 }> {
	const real = (await importOriginal<{ default: Argon2 }>()).default;
	const light: Argon2 = {
		...real,
		hash: ((password: string, options?: object) =>
			real.hash(password, { ...options, memoryCost: 1024, timeCost: 1 })) as Argon2['hash']
	};
	return { ...light, default: light };
}
