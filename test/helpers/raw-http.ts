import { request } from 'node:http';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/**
 * One request with node:http, which shows how the answer was framed (fetch hides it), on a
 * connection of its own, so what a test puts on the server's socket belongs to this request.
 */
export function send(
  url: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The status code of each answer in what a server wrote on a socket, in order (`100 Continue`
 * included). Not anchored to a line's start: an answer's body need not end with a newline, and
 * the next answer's status line follows it directly.
 */
export const statusCodes = (raw: string): number[] =>
  [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => +m[1]!);
