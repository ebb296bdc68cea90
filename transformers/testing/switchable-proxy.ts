import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of a real service (the schema registry) that can be
 * switched to answer 503, to test what the transformer does while a dependency is down.
 */
export class SwitchableProxy {
  up = true;
  refused = 0;
  private server: http.Server | null = null;

  constructor(private readonly target: string) {}

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      if (!this.up) {
        this.refused++;
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error_code":50301,"message":"registry unavailable"}');
        return;
      }
      const upstream = http.request(new URL(request.url ?? '/', this.target), { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.writeHead(502).end());
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
