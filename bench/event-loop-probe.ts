import { Agent, request } from 'node:http';

/**
 * Measures the server's longest event-loop block from the outside: while other load runs, it
 * asks GET /livez (which does no work) every few milliseconds on its own connection; a slow
 * answer means the loop was busy. The slowest answer bounds the longest block from above.
 */
export class EventLoopProbe {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private running = false;
  private done: Promise<void> = Promise.resolve();
  slowestMs = 0;
  probes = 0;

  constructor(
    private readonly url: string,
    private readonly everyMs = 5,
  ) {}

  start(): void {
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        const started = performance.now();
        await this.livez();
        this.slowestMs = Math.max(this.slowestMs, performance.now() - started);
        this.probes++;
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    this.agent.destroy();
  }

  private livez(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.url}/livez`, { agent: this.agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`/livez ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }
}
