/**
 * A minimal keep-alive HTTP client for the load generator: one `http.Agent` with one socket per
 * simulated user (like one browser tab each), node:http rather than fetch to keep the load
 * generator's own CPU cost low (it shares the machine with the server and the database).
 */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

export class Client {
  private readonly agent: http.Agent;
  private cookie = '';
  private csrf = '';

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const h: Record<string, string | number> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (payload) {
      h['content-type'] = 'application/json';
      h['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers: h, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Staff login with a password; keeps the session cookie and the CSRF token. */
  async login(username: string, password: string): Promise<void> {
    const res = await this.request('POST', '/api/auth/login', { username, password });
    if (res.status !== 200) throw new HttpError(res.status, res.body, `login ${username}`);
    const setCookie = res.headers['set-cookie'] ?? [];
    const session = setCookie.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('motcua_session='));
    if (!session) throw new Error(`login ${username}: no session cookie`);
    this.cookie = session;
    this.csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
  }

  close(): void {
    this.agent.destroy();
  }
}
