import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

/**
 * Runs a sandbox app on loopback and can take it down hard (connection refused) and bring it
 * back on the same port, which an in-app 503 cannot simulate.
 */
export interface RunningSandbox {
  url: string;
  port: number;
  /** Stops accepting connections (clients get ECONNREFUSED) until comeUp(). */
  goDown(): Promise<void>;
  comeUp(): Promise<void>;
  close(): Promise<void>;
}

export async function runSandbox(app: FastifyInstance, options: { port?: number; host?: string } = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const port = (app.server.address() as AddressInfo).port;
  let down = false;
  return {
    url: `http://${host}:${port}`,
    port,
    async goDown() {
      if (down) return;
      down = true;
      app.server.closeAllConnections?.();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
    },
    async comeUp() {
      if (!down) return;
      await new Promise<void>((resolve, reject) => {
        app.server.once('error', reject);
        app.server.listen(port, host, () => resolve());
      });
      down = false;
    },
    async close() {
      if (down) return;
      await app.close();
    },
  };
}
