/**
 * Traces (OpenTelemetry), optional and off by default: on when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set. A span per request, per Query/Mutation root field and per SQL statement, exported over
 * OTLP/HTTP. The SDK (./otel.ts) is required only when tracing starts: while it is off, this
 * module loads nothing of OpenTelemetry, and every hook below is one null check.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TracingRuntime } from './otel';

export interface TracingOptions {
  /** The collector's OTLP/HTTP base URL (`/v1/traces` is appended). */
  endpoint?: string;
  serviceName: string;
  /** Instead of OTLP: spans go to this exporter as each ends (the tests' in-memory exporter). */
  exporter?: SpanExporter;
}

let runtime: TracingRuntime | null = null;

/** Whether spans are being made. */
export function tracingOn(): boolean {
  return runtime !== null;
}

/**
 * Starts tracing when an endpoint (or an exporter) is given and returns how to stop it (sends
 * what is pending); null, loading nothing, when tracing stays off.
 */
export function startTracing(options: TracingOptions): { shutdown(): Promise<void> } | null {
  if (!options.endpoint && !options.exporter) return null;
  if (runtime) throw new Error('Tracing has already started in this process.');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('./otel') as typeof import('./otel');
  const started = otel.startRuntime(options);
  runtime = started;
  return {
    shutdown: async () => {
      if (runtime === started) runtime = null;
      await started.shutdown();
    },
  };
}

/** A request's span, continuing the caller's trace (`traceparent`) when it sends one. */
export interface RequestSpan {
  /** Runs `fn` with this span as the current one: what `fn` starts becomes its children. */
  run<T>(fn: () => T): T;
  /** Ends the span with the request's name and outcome. */
  end(name: string, attributes: Record<string, string | number>, failed: boolean): void;
}

/** Starts a request's span; null when tracing is off. */
export function startRequestSpan(headers: IncomingHttpHeaders): RequestSpan | null {
  return runtime ? runtime.startRequestSpan(headers) : null;
}

/** Runs `fn` inside a span named `name` (a root field); just runs it when tracing is off. */
export function inSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  return runtime ? runtime.inSpan(name, attributes, fn) : fn();
}

/** A SQL statement starts on `connection` (the spans of one connection end in the order they started). */
export function sqlStatementStarted(connection: object, sql: string): void {
  runtime?.sqlStarted(connection, sql);
}

/** The oldest running statement of `connection` ended. */
export function sqlStatementEnded(connection: object, error?: unknown): void {
  runtime?.sqlEnded(connection, error);
}
