/**
 * Starts the built app (`node build`) on a free port with its own data directory, and can
 * stop it so that the server is really unreachable, then start it again on the same origin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BUILD_DIR = resolve(import.meta.dirname, '../../../build');

async function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			const response = await fetch(url);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`server at ${url} did not come up`);
}

export class TestServer {
	readonly dataDir = mkdtempSync(join(tmpdir(), 'lernlotse-e2e-'));
	#child: ChildProcess | null = null;
	#log = '';

	private constructor(readonly port: number) {}

	static async start(buildDir = BUILD_DIR): Promise<TestServer> {
		const server = new TestServer(await freePort());
		await server.startFrom(buildDir);
		return server;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return this.#child !== null;
	}

	async startFrom(buildDir = BUILD_DIR): Promise<void> {
		const child = spawn(process.execPath, [buildDir], {
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				DATA_DIR: this.dataDir,
				ORIGIN: this.url
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout?.on('data', (d: Buffer) => (this.#log += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (this.#log += d.toString()));
		this.#child = child;
		await waitUntilUp(this.url, child);
	}

	/** Stops the process and waits until the port refuses connections. */
	async stop(): Promise<void> {
		const child = this.#child;
		if (!child) return;
		this.#child = null;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}

	get log(): string {
		return this.#log;
	}

	/** The first-run setup code the server printed to its log (the newest, after a restart). */
	async setupCode(timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const codes = this.#log
				.split('\n')
				.filter((line) => line.startsWith('{'))
				.map((line) => {
					try {
						return JSON.parse(line) as { msg?: string; setupCode?: string };
					} catch {
						return {};
					}
				})
				.filter((entry) => entry.msg === 'first run: no administrator yet' && entry.setupCode)
				.map((entry) => entry.setupCode!);
			if (codes.length > 0) return codes[codes.length - 1]!;
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error('the server printed no setup code');
	}

	async dispose(): Promise<void> {
		await this.stop();
		rmSync(this.dataDir, { recursive: true, force: true });
	}
}
