/**
 * Debian's nginx as the test's own process, in front of test instances on loopback: the
 * repository's loopback configuration (`deploy/nginx/loopback-test.conf`, which includes the
 * shipped proxy settings) filled in and written to a temporary directory. No system paths,
 * no service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, pause } from './instance';

export const DEPLOY_DIR = resolve(import.meta.dirname, '../../../deploy');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export class Nginx {
	#child: ChildProcess | null = null;
	#log = '';

	private constructor(
		readonly port: number,
		readonly dir: string
	) {}

	static async start(upstreamPorts: number[]): Promise<Nginx> {
		if (!NGINX) throw new Error('nginx is missing: apt-get install nginx (.ci/run does)');
		const dir = mkdtempSync(join(tmpdir(), 'lernlotse-nginx-'));
		// Worker processes run as an unprivileged user when the test runs as root.
		chmodSync(dir, 0o755);
		const proxy = new Nginx(await freePort(), dir);
		const upstreams = upstreamPorts
			.map((port) => `        server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`)
			.join('\n');
		const config = readFileSync(join(DEPLOY_DIR, 'nginx/loopback-test.conf'), 'utf8')
			.replaceAll('@PREFIX@', dir)
			.replaceAll('@DEPLOY@', DEPLOY_DIR)
			.replaceAll('@PORT@', String(proxy.port))
			.replaceAll('@UPSTREAMS@', upstreams);
		writeFileSync(join(dir, 'nginx.conf'), config);
		const child = spawn(
			NGINX,
			['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
			{
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		child.stdout?.on('data', (d: Buffer) => (proxy.#log += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (proxy.#log += d.toString()));
		proxy.#child = child;
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`nginx exited: ${proxy.log}`);
			try {
				await fetch(`${proxy.url}/api/health/live`);
				return proxy;
			} catch {
				await pause(50);
			}
		}
		throw new Error(`nginx did not start: ${proxy.log}`);
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get log(): string {
		const errors = join(this.dir, 'error.log');
		return this.#log + (existsSync(errors) ? readFileSync(errors, 'utf8') : '');
	}

	async stop(): Promise<void> {
		const child = this.#child;
		this.#child = null;
		if (child && child.exitCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGQUIT'); // graceful: the master waits for its workers
			await exited;
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}
