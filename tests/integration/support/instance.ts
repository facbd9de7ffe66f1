/**
 * One app instance as an operator runs it: the built server (`node build`, so run
 * `npm run build` first) on a port of its own, with the environment given (DATABASE_URL for
 * PostgreSQL, or a SQLite DATA_DIR). It can be killed hard (SIGKILL, a server that dies) or
 * stopped (SIGTERM), and started again on the same port and database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BUILD_DIR } from '../../e2e/support/server';

export async function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Instance {
	#child: ChildProcess | null = null;
	#log = '';

	private constructor(
		readonly port: number,
		readonly env: Record<string, string>
	) {}

	/** Spawns the instance; `ready()` waits until it serves. */
	static async spawn(env: Record<string, string>): Promise<Instance> {
		const instance = new Instance(await freePort(), env);
		instance.start();
		return instance;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get log(): string {
		return this.#log;
	}

	/** The JSON log lines with this message. */
	logged(msg: string): Record<string, unknown>[] {
		return this.#log
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => {
				try {
					return JSON.parse(line) as Record<string, unknown>;
				} catch {
					return {};
				}
			})
			.filter((entry) => entry.msg === msg);
	}

	start(): void {
		if (this.#child) throw new Error('already running');
		const child = spawn(process.execPath, [BUILD_DIR], {
			env: {
				...process.env,
				HOST: '127.0.0.1',
				PORT: String(this.port),
				ORIGIN: this.url,
				...this.env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout?.on('data', (d: Buffer) => (this.#log += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (this.#log += d.toString()));
		child.once('exit', () => {
			if (this.#child === child) this.#child = null;
		});
		this.#child = child;
	}

	/** Waits until `/api/health/ready` answers 200. */
	async ready(timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.#child) throw new Error(`instance exited:\n${this.#log.slice(-2000)}`);
			try {
				const response = await fetch(`${this.url}/api/health/ready`);
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await pause(100);
		}
		throw new Error(`instance at ${this.url} did not become ready:\n${this.#log.slice(-2000)}`);
	}

	/** Ends the process with `signal` and waits for it to be gone. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const child = this.#child;
		if (!child) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		await exited;
		this.#child = null;
	}
}
