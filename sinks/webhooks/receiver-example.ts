import http from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * A webhook receiver as we recommend it: verify the signature on the raw body, drop repeats by
 * webhook-id, answer at once, and do the work from a queue. (This file is the example printed in
 * docs/webhooks.md; a test keeps the two identical and checks that it works.)
 */
export function createWebhookReceiver(secret: string, enqueue: (event: unknown) => void): http.Server {
  const webhook = new Webhook(secret); // the whsec_… secret shown when the subscription was created
  const seen = new Set<string>(); // delivery is at least once: keep these ids in your database
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8'); // the exact bytes that were signed
      let event: unknown;
      try {
        event = webhook.verify(raw, req.headers as Record<string, string>);
      } catch {
        res.writeHead(400).end('invalid signature');
        return;
      }
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        enqueue(event); // e.g. add a job to your queue; process it there, not in this request
      }
      res.writeHead(204).end(); // answer quickly: Millrace waits at most 10 s for a 2xx
    });
  });
}
