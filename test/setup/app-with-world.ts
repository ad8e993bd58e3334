/**
 * The set-up many API test files share: a test app (./app.ts) started before the file's tests,
 * with a `createWorld` partnership in it (test/factories/world.ts), stopped after them, and a
 * raw POST for tests that look at more than `app.gql` returns (headers, timing, raw text).
 *
 * Call it at the top level of a file (or of a describe block, for hooks scoped to it):
 *
 *     const { app, world, post } = useAppWithWorld({ env: { … } });
 *
 * `app` and `world` are filled in by its `beforeAll` (the same objects, so they can be
 * destructured here): use them in hooks and tests, not while the file is being loaded.
 */
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp, TestAppOptions } from './app';

/** A response as it came over HTTP. */
export interface RawResponse<B = unknown> {
  status: number;
  headers: Headers;
  /** The body as sent. */
  text: string;
  /** The body parsed as JSON. */
  body: B;
  /** From before the token was minted until the whole body was read. */
  ms: number;
}

export interface AppWithWorld {
  app: TestApp;
  world: World;
  /** POSTs a GraphQL operation as `subject` (a development token for it), with extra `headers`. */
  post<B = unknown>(subject: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<RawResponse<B>>;
}

export function useAppWithWorld(options: TestAppOptions = {}): AppWithWorld {
  const app = {} as TestApp;
  const world = {} as World;
  let started = false;
  beforeAll(async () => {
    Object.assign(app, await startTestApp(options));
    started = true;
    Object.assign(world, await createWorld(app.dataSource));
  });
  afterAll(async () => {
    if (started) await app.stop();
  });
  return {
    app,
    world,
    async post<B>(subject: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const begun = Date.now();
      const response = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(subject)}`, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as B, ms: Date.now() - begun };
    },
  };
}
