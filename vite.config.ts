import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.spec.ts', 'scripts/**/*.spec.ts'],
		environment: 'node',
		// Integration tests run on two databases on a two-core machine: allow for a busy one.
		testTimeout: 20_000,
		expect: { requireAssertions: true }
	}
});
