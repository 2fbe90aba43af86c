// A local HTTP server for responder tests: records every request (method, path, headers, raw body)
// and answers from a route table.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Answer = { status: number; body?: unknown; delayMs?: number } | 'hang';

export class TestServer {
  readonly requests: Seen[] = [];
  private server!: Server;
  /** `METHOD /path` → answer; unlisted requests get 404. */
  routes = new Map<string, Answer>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c as Buffer));
      req.on('end', () => {
        const seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(seen);
        const answer = this.routes.get(`${seen.method} ${seen.path}`) ?? { status: 404, body: { error: { code: 'NotFound', message: `no route ${seen.method} ${seen.path}` } } };
        if (answer === 'hang') return;
        const send = () => {
          if (answer.body === undefined) res.writeHead(answer.status).end();
          else res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}
