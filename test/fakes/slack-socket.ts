/**
 * A fake Socket Mode server on 127.0.0.1: the URL that the fake apps.connections.open hands out. It says
 * hello to each connection, sends envelopes (slash_commands, interactive, events_api) and collects the
 * app's acks by envelope_id.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

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

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.wss!.once('listening', () => resolve()));
    this.connected = new Promise((resolve) => {
      this.wss!.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('message', (data) => {
          const ack = JSON.parse(String(data)) as Ack;
          this.acks.push(ack);
          this.pending.get(ack.envelope_id)?.(ack);
          this.pending.delete(ack.envelope_id);
        });
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-socket' }, connection_info: { app_id: 'A1' } }));
        resolve(socket);
      });
    });
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss!.address() as AddressInfo).port}/link/?ticket=fake`;
  }

  /** Sends one envelope and resolves with the app's ack for it. */
  async send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, extra: Record<string, unknown> = {}): Promise<Ack> {
    const socket = await this.connected!;
    const envelopeId = randomUUID();
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${type} envelope`)), 5000);
      this.pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', ...extra }));
    return acked;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }
}
