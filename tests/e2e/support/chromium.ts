/**
 * Debian's Chromium as every test and benchmark launches it: as root it needs no sandbox, and
 * without the background-networking flags it keeps trying to reach the outside world.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];
