// The part of negotiator 1.1 that Jindu uses. @types/negotiator (0.6) predates the `preferred`
// option that 1.0 added, which breaks a tie of weights in the server's favour.
declare module 'negotiator' {
  import type { IncomingHttpHeaders } from 'node:http';

  export default class Negotiator {
    constructor(request: { headers: IncomingHttpHeaders });
    encoding(
      available: readonly string[],
      options?: { preferred?: readonly string[] },
    ): string | undefined;
  }
}
