/**
 * The operations endpoints: GET /healthz (liveness: answering at all means the event loop runs), GET /readyz (200
 * when every readiness check passes, else 503 with a JSON body naming what is not ready) and GET /metrics
 * (Prometheus text). Served on HEALTH_PORT by a small node:http server. In Slack HTTP mode SLACK_PORT, which faces the
 * internet, serves /healthz through Bolt's `customRoutes` (the routes below have Bolt's CustomRoute shape), and
 * /readyz and /metrics only with HEALTH_ON_SLACK_PORT=true: they tell whoever reaches them how the bot is doing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, type Logger } from '../core/logger.ts';
import type { PrometheusMetrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';

export interface HealthConfig {
  /** HEALTH_PORT (0 picks a free one, for tests). */
  port: number;
  /** HEALTH_HOST: the interface to listen on (default 127.0.0.1; containers set 0.0.0.0 for their orchestrator). */
  host: string;
}

/** Liveness: answering at all is all it says, so the public Slack port may serve it to a load balancer. */
export const LIVENESS_PATH = '/healthz';

/** The routes SLACK_PORT serves: /healthz, and /readyz and /metrics too only when `all` (HEALTH_ON_SLACK_PORT). */
export function slackPortRoutes<R extends { path: string }>(routes: readonly R[], all: boolean): R[] {
  return routes.filter((route) => all || route.path === LIVENESS_PATH);
}

export interface OpsRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

function json(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, head);
}

export function opsRoutes(deps: { readiness: Readiness; metrics: PrometheusMetrics; logger: Logger }): OpsRoute[] {
  const method = ['GET', 'HEAD'];
  return [
    {
      path: LIVENESS_PATH,
      method,
      handler: (req, res) => json(res, 200, { status: 'ok' }, req.method === 'HEAD'),
    },
    {
      path: '/readyz',
      method,
      handler: (req, res) => {
        const { ready, notReady } = deps.readiness.state();
        json(res, ready ? 200 : 503, ready ? { ready } : { ready, notReady }, req.method === 'HEAD');
      },
    },
    {
      path: '/metrics',
      method,
      handler: (req, res) => {
        deps.metrics.exposition().then(
          ({ contentType, body }) => send(res, 200, contentType, body, req.method === 'HEAD'),
          (error: unknown) => {
            deps.logger.error('metrics: collecting failed', { error: describeError(error) });
            send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n', req.method === 'HEAD');
          },
        );
      },
    },
  ];
}

export interface RunningHealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(
  config: HealthConfig,
  routes: OpsRoute[],
  logger: Logger,
): Promise<RunningHealthServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path);
    if (!route) return json(res, 404, { error: 'not found', paths: routes.map((r) => r.path) }, req.method === 'HEAD');
    if (!route.method.includes(req.method ?? '')) {
      res.setHeader('allow', route.method.join(', '));
      return json(res, 405, { error: 'method not allowed' }, false);
    }
    route.handler(req, res);
  });
  // Probes are short: a client that opens a connection and says nothing must not hold shutdown up.
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('health endpoints listening', { host: config.host, port, paths: routes.map((r) => r.path) });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
