/**
 * The shared frame of every `npm run <script>` command: run `main`, exit with its code (0 by
 * default), and turn a failure into one plain line on stderr (a configuration error names
 * the variable) and exit code 1, instead of a stack trace.
 */
import { ConfigError } from './config';

export function runCli(what: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(error instanceof ConfigError ? `Configuration error: ${message}` : `${what} failed: ${message}`);
      process.exit(1);
    },
  );
}
