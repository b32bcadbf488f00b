/**
 * A fake Socket Mode server on 127.0.0.1: the URL that the fake apps.connections.open hands out. It says
 * hello to each connection, sends envelopes (slash_commands, interactive, events_api) and collects the
 * app's acks by envelope_id; an envelope not acked within the deadline fails, as Slack gives up after 3 s.
 */

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

export class FakeSlackSocket {
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, (ack: Ack) => void>();
  readonly acks: Ack[] = [];
  private connected: Promise<WebSocket> | undefined;
  /** The newest connection: envelopes go there (after a reconnect, the old socket is gone). */
  private latest: WebSocket | undefined;
  /** How many connections the app has opened so far (a reconnect makes it 2). */
  connections = 0;
  private readonly connectionWaiters: Array<() => void> = [];

  /** `ackDeadlineMs`: how long an envelope waits for its ack (Slack's is 3000; default 5000, a hang guard). */
  constructor(private readonly options: { ackDeadlineMs?: number } = {}) {}

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.wss!.once('listening', () => resolve()));
    this.connected = new Promise((resolve) => {
      this.wss!.on('connection', (socket) => {
        this.sockets.add(socket);
        this.latest = socket;
        this.connections += 1;
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('message', (data) => {
          const ack = JSON.parse(String(data)) as Ack;
          this.acks.push(ack);
          this.pending.get(ack.envelope_id)?.(ack);
          this.pending.delete(ack.envelope_id);
        });
        socket.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'fake-socket' },
            connection_info: { app_id: 'A1' },
          }),
        );
        resolve(socket);
        for (const wake of this.connectionWaiters.splice(0)) wake();
      });
    });
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss!.address() as AddressInfo).port}/link/?ticket=fake`;
  }

  /** Sends one envelope and resolves with the app's ack for it. */
  async send(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: unknown,
    extra: Record<string, unknown> = {},
  ): Promise<Ack> {
    const socket = this.latest ?? (await this.connected!);
    const envelopeId = randomUUID();
    const deadline = this.options.ackDeadlineMs ?? 5000;
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${type} envelope within ${deadline} ms`)), deadline);
      this.pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...extra,
      }),
    );
    return acked;
  }

  /**
   * Drops every open connection: with `reason`, Slack's `disconnect` message first and a clean close;
   * without it, the socket is cut (terminate), as a network failure would.
   */
  drop(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void {
    for (const socket of this.sockets) {
      if (reason) {
        socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-socket' } }));
        socket.close(1000);
      } else {
        socket.terminate();
      }
    }
  }

  /** Resolves once the app has opened `count` connections in all; rejects after `ms` (a hang guard). */
  async waitForConnections(count: number, ms = 10000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.connections < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} Socket Mode connections, saw ${this.connections}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.connectionWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }
}
