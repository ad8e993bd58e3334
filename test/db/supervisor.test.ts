/**
 * The restart policy of src/db/supervisor.ts on a stand-in server whose process the test ends
 * at will: restart after an unexpected exit, a doubling backoff between failed attempts, the
 * budget per window, the fatal end, and a stop that no restart follows. The real embedded
 * PostgreSQL under the same supervisor: test/db/embedded-supervision.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { RestartPolicy, Supervisor } from '../../src/db/supervisor';
import { sleep, waitFor } from '../setup/api-process';

class FakeProcess extends EventEmitter {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  die(signal: NodeJS.Signals = 'SIGKILL') {
    this.signalCode = signal;
    this.emit('exit', null, signal);
  }
}

/** A server whose starts fail while `failing` > 0 (counting down), and whose processes are kept. */
function fakeServer() {
  const server = {
    processes: [] as FakeProcess[],
    startedAt: [] as number[],
    stops: 0,
    failing: 0,
    events: [] as string[],
    fatal: [] as Error[],
    get current() {
      return server.processes[server.processes.length - 1];
    },
    definition: {
      name: 'The test server',
      start: async () => {
        server.startedAt.push(Date.now());
        if (server.failing > 0) {
          server.failing--;
          throw new Error('it would not start');
        }
        const child = new FakeProcess();
        server.processes.push(child);
        return child as unknown as ChildProcess;
      },
      stop: async () => {
        server.stops++;
        server.current.die('SIGINT');
      },
    },
  };
  return server;
}

async function supervised(policy: Partial<RestartPolicy> = {}) {
  const server = fakeServer();
  const supervisor = new Supervisor(server.definition, { maxRestarts: 3, windowMs: 60_000, backoffMs: 10, maxBackoffMs: 1000, ...policy }, {
    onEvent: (m) => server.events.push(m),
    onFatal: (e) => server.fatal.push(e),
  });
  await supervisor.start();
  return { server, supervisor };
}

test('an unexpected exit is followed by a restart, counted and logged', async () => {
  const { server, supervisor } = await supervised();
  server.current.die();
  await waitFor('the restart', () => server.processes.length === 2, 2000);
  expect(supervisor.restarts).toBe(1);
  expect(server.events).toEqual([
    'The test server exited unexpectedly (signal SIGKILL)',
    expect.stringMatching(/^The test server restarted in \d+ ms \(restart 1\)$/),
  ]);
  await supervisor.stop();
});

test('failed attempts are retried after a doubling wait, within the budget', async () => {
  const { server, supervisor } = await supervised({ maxRestarts: 4, backoffMs: 20 });
  server.failing = 2;
  server.current.die();
  await waitFor('the restart', () => server.processes.length === 2, 2000);
  // After the first start: two failed attempts and the one that succeeded, each after a longer
  // wait (20, 40, 80 ms; timers may round a millisecond down).
  const attempts = server.startedAt.slice(1);
  expect(attempts).toHaveLength(3);
  expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(40 - 2);
  expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(80 - 2);
  expect(server.events.filter((m) => m.includes('restart attempt failed: it would not start'))).toHaveLength(2);
  expect(supervisor.restarts).toBe(1);
  expect(server.fatal).toEqual([]);
  await supervisor.stop();
});

test('a server that will not come back: the budget is spent and the owner is told, once', async () => {
  const { server, supervisor } = await supervised({ maxRestarts: 3, backoffMs: 1 });
  server.failing = Infinity;
  server.current.die();
  await waitFor('the fatal end', () => server.fatal.length > 0, 2000);
  await sleep(50);
  expect(server.startedAt).toHaveLength(1 + 3);
  expect(server.fatal.map((e) => e.message)).toEqual([
    'The test server exited and could not be restarted (3 restart attempt(s) within 60 s used up); last attempt: it would not start',
  ]);
  expect(supervisor.restarts).toBe(0);
  await supervisor.stop();
});

test('exits that keep coming within the window are fatal; restarts off (0) gives up at the first exit', async () => {
  const { server } = await supervised({ maxRestarts: 1, backoffMs: 1 });
  server.current.die();
  await waitFor('the restart', () => server.processes.length === 2, 2000);
  server.current.die();
  await waitFor('the fatal end', () => server.fatal.length > 0, 2000);
  expect(server.processes).toHaveLength(2);

  const off = await supervised({ maxRestarts: 0 });
  off.server.current.die();
  await waitFor('the fatal end', () => off.server.fatal.length > 0, 2000);
  expect(off.server.fatal[0].message).toMatch(/could not be restarted \(restarts are off\)/);
  expect(off.server.startedAt).toHaveLength(1);
});

test('attempts older than the window no longer count', async () => {
  const { server, supervisor } = await supervised({ maxRestarts: 1, windowMs: 50, backoffMs: 1 });
  server.current.die();
  await waitFor('the first restart', () => server.processes.length === 2, 2000);
  await sleep(80);
  server.current.die();
  await waitFor('the second restart', () => server.processes.length === 3, 2000);
  expect(server.fatal).toEqual([]);
  expect(supervisor.restarts).toBe(2);
  await supervisor.stop();
});

test('stop() is final: the server is stopped once and its exit is not restarted; a stop during the wait calls the restart off', async () => {
  const { server, supervisor } = await supervised();
  await supervisor.stop();
  await sleep(50);
  expect(server.stops).toBe(1);
  expect(server.processes).toHaveLength(1);
  expect(server.events).toEqual([]);

  const waiting = await supervised({ backoffMs: 200 });
  waiting.server.current.die();
  await waiting.supervisor.stop(); // during the 200 ms wait; the server is already gone
  await sleep(250);
  expect(waiting.server.processes).toHaveLength(1);
  expect(waiting.server.stops).toBe(0);
  expect(waiting.server.fatal).toEqual([]);
});

test('stop() tells a running server to stop before its first await (the process may be exiting)', async () => {
  const { server, supervisor } = await supervised();
  const stopped = supervisor.stop();
  expect(server.stops).toBe(1);
  await stopped;
});

test('after expectStop() the server ending on its own (a signal to the whole process group) is not restarted', async () => {
  const { server, supervisor } = await supervised();
  supervisor.expectStop();
  server.current.die('SIGTERM');
  await sleep(50);
  expect(server.processes).toHaveLength(1);
  expect(server.events).toEqual([]);
  await supervisor.stop();
  expect(server.stops).toBe(0);
});
