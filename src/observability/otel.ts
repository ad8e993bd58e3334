/**
 * The OpenTelemetry SDK, loaded only when tracing is on (./tracing.ts requires this file then):
 * a tracer provider with the AsyncLocalStorage context manager and W3C trace-context propagation,
 * spans exported over OTLP/HTTP in batches (or to a given exporter, span by span).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { RequestSpan, TracingOptions } from './tracing';

export interface TracingRuntime {
  startRequestSpan(headers: IncomingHttpHeaders): RequestSpan;
  inSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T>;
  sqlStarted(connection: object, sql: string): void;
  sqlEnded(connection: object, error?: unknown): void;
  shutdown(): Promise<void>;
}

/**
 * The statement's kind (SELECT, INSERT, …): the span's name; the text itself, without parameters,
 * is an attribute. A request's last text carries its COMMIT after the access log's append
 * (src/graphql/unit-of-work.ts `commitWith`): "SELECT; COMMIT".
 */
const operationOf = (sql: string) => `${/^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL'}${/;\s*COMMIT\s*$/i.test(sql) ? '; COMMIT' : ''}`;

/** A long text's beginning and end (where a COMMIT sent with it shows). */
const shortened = (sql: string) => (sql.length > 2000 ? `${sql.slice(0, 1500)}…${sql.slice(-500)}` : sql);

export function startRuntime(options: TracingOptions): TracingRuntime {
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();
  const tracer = provider.getTracer('toptrajecten-api');
  const running = new WeakMap<object, Span[]>();

  const failed = (span: Span, error: unknown) => {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
  };

  return {
    startRequestSpan(headers) {
      const parent = propagation.extract(ROOT_CONTEXT, headers);
      const span = tracer.startSpan('POST /graphql', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': '/graphql' } }, parent);
      const active = trace.setSpan(parent, span);
      return {
        run: (fn) => context.with(active, fn),
        end(name, attributes, isFailure) {
          span.updateName(name);
          span.setAttributes(attributes);
          if (isFailure) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    inSpan(name, attributes, fn) {
      return tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await fn();
        } catch (error) {
          failed(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },
    sqlStarted(connection, sql) {
      const span = tracer.startSpan(operationOf(sql), {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operationOf(sql), 'db.query.text': shortened(sql) },
      });
      const list = running.get(connection);
      if (list) list.push(span);
      else running.set(connection, [span]);
    },
    sqlEnded(connection, error) {
      const span = running.get(connection)?.shift();
      if (!span) return;
      if (error) failed(span, error);
      span.end();
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
