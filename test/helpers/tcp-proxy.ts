// A TCP proxy on an ephemeral port of 127.0.0.1 in front of a real server (PostgreSQL, Redis), for fault tests:
// cut every open connection at once, or refuse new ones for a while, as a restart or a network fault would.
import net from 'node:net';
import { closeAfterTest } from './temp-dir.js';

export interface TcpProxy {
  port: number;
  /** Destroys every connection open through the proxy (both sides see a reset). */
  cut(): void;
  /** Until `up()`, cuts every open connection and closes each new one as soon as it is accepted. */
  down(): void;
  up(): void;
  /** Connections accepted so far. */
  readonly accepted: number;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let refusing = false;
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    if (refusing) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(socket);
    open.add(upstream);
    socket.pipe(upstream).pipe(socket);
    for (const side of [socket, upstream]) {
      side.on('error', () => undefined);
      side.on('close', () => {
        open.delete(side);
        socket.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest(async () => {
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const cut = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut,
    down: () => {
      refusing = true;
      cut();
    },
    up: () => {
      refusing = false;
    },
    get accepted() {
      return accepted;
    },
  };
}
