import { describe, expect, it } from 'vitest';
import { describeServerError } from '../../../src/cli/report-client.js';

describe('describeServerError', () => {
  const unauthenticated = { message: '令牌已吊销', extensions: { code: 'UNAUTHENTICATED' } };

  it('asks for a token when none was sent', () => {
    expect(describeServerError(unauthenticated)).toBe(
      'the server needs an API token for reads (pass --token) (UNAUTHENTICATED: "令牌已吊销")',
    );
  });

  it('says the token was refused when one was sent, instead of asking for one', () => {
    expect(describeServerError(unauthenticated, true)).toBe(
      'the server refused the token (revoked, expired or mistyped?) (UNAUTHENTICATED: "令牌已吊销")',
    );
  });
});
