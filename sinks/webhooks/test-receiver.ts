import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP receiver on loopback for tests and benchmarks: records every request with its raw
 * body and answers as the responder says (status, headers, body, or never: `'hang'`).
 */
export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';
export type Responder = (request: ReceivedRequest, index: number) => Reply;

export interface Receiver {
  readonly requests: ReceivedRequest[];
  url(path?: string): string;
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startReceiver(responder: Responder = () => ({ status: 200 }), host = '127.0.0.1'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let current = responder;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')])),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(received);
      const reply = current(received, requests.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    url: (path = '/hook') => `http://${host}:${port}${path}`,
    respond: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
