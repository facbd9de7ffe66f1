import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/support/chromium';

/**
 * End-to-end tests against the production build (`npm run build`), in Debian's Chromium.
 * Each test starts its own server (see tests/e2e/support/server.ts), so a test can make the
 * server truly unreachable and bring it back without disturbing the others.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: true,
	workers: process.env.CI ? 2 : undefined,
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		locale: 'de-DE',
		viewport: { width: 1024, height: 768 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }
	},
	projects: [
		{ name: 'app', testIgnore: /update\.spec\.ts/ },
		// The update tests run after all others, alone: when a service worker may switch depends
		// on the browser's load, and a test must not pass or fail by what ran beside it. One retry:
		// in one clean-clone CI run (session 8) the reload into the new version never finished
		// (its navigation stayed pending for over a minute); local runs of the same build passed.
		// The cause is open (docs/decisions.md, "An update asks the new version to take over…").
		{ name: 'update', testMatch: /update\.spec\.ts/, dependencies: ['app'], retries: 1 }
	]
});
