import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBody } from '../../src/server/http-json.js';
import { send } from '../helpers/raw-http.js';

type Chunk = string | Uint8Array;

/** What the next answer's handler sends, and the chunks of each write its socket was handed. */
let next: { body: Chunk; written: Chunk[][] } = { body: '', written: [] };

/** Records each write the answer's socket is handed: one chunk, or several gathered. */
function recordWrites(socket: Socket, written: Chunk[][]): void {
  const stream = socket as unknown as {
    _write(chunk: Chunk, encoding: string, done: () => void): void;
    _writev(chunks: { chunk: Chunk }[], done: () => void): void;
  };
  const write = stream._write.bind(stream);
  const writev = stream._writev.bind(stream);
  stream._write = (chunk, encoding, done) => {
    written.push([chunk]);
    write(chunk, encoding, done);
  };
  stream._writev = (chunks, done) => {
    written.push(chunks.map(({ chunk }) => chunk));
    writev(chunks, done);
  };
}

/**
 * sendBody writes a string body as it is, not joined to the headers: Node joins a string that
 * follows unsent headers into one string, which the socket copies whole before encoding it
 * (about 17 ms of CPU on a 3 MB dashboard answer).
 */
describe('sendBody', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      recordWrites(res.socket!, next.written);
      sendBody(res, 200, { 'content-type': 'application/json; charset=utf-8' }, next.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const answer = async (body: Chunk, method = 'GET') => {
    next = { body, written: [] };
    // A connection of its own (send): the recording stays on the socket it was put on.
    const got = await send(url, '/', method);
    return { ...got, written: next.written };
  };

  const large = JSON.stringify({ names: Array.from({ length: 20_000 }, (_, i) => `迁移${i}`) });

  it.each([
    ['a short ASCII answer', '{"data":{"__typename":"Query"}}'],
    ['a large answer of Chinese text', large],
  ])('hands %s to the socket unjoined, with its length in bytes', async (_name, body) => {
    const { headers, body: received, written } = await answer(body);
    expect(received.toString('utf8')).toBe(body);
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(headers['transfer-encoding']).toBeUndefined();
    // One write: the headers alone, then the body as it was given (Node adds an empty end).
    expect(written).toHaveLength(1);
    const [headerChunk, ...rest] = written[0]!.filter((chunk) => chunk.length > 0);
    expect(String(headerChunk)).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/);
    expect(rest).toEqual([body]);
  });

  it('sends bytes after the headers, and an empty string with a length of 0', async () => {
    const bytes = Buffer.from(large);
    const sent = await answer(bytes);
    expect(sent.body.equals(bytes)).toBe(true);
    expect(sent.headers['content-length']).toBe(String(bytes.length));

    const empty = await answer('');
    expect(empty.body.length).toBe(0);
    expect(empty.headers['content-length']).toBe('0');
  });

  it('answers HEAD with the length and no body', async () => {
    const { headers, body } = await answer(large, 'HEAD');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(large)));
    expect(body.length).toBe(0);
  });
});
