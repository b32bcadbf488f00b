/** Listening on 127.0.0.1 (a free port) and closing with every open connection: what each local fake needs. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts the server on a free port of 127.0.0.1 (or the given one) and returns the port. */
export async function listenLocal(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes the server, cutting open (kept-alive or hung) connections so close() does not wait for them. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
