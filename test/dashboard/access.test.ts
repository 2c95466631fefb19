import { describe, expect, it } from 'vitest';
import { allowedHosts, checkAddress, isLoopback, newToken, requestToken, tokenMatches } from '../../src/dashboard/server/access.js';
import { DiagnosticError } from '../../src/source/index.js';

describe('who may talk to the dashboard', () => {
  it('tells loopback addresses from the others', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '128.0.0.1']) expect(isLoopback(a), a).toBe(false);
  });

  it('refuses a non-loopback address unless the user named it', () => {
    expect(() => checkAddress('127.0.0.1', false)).not.toThrow();
    expect(() => checkAddress('0.0.0.0', true)).not.toThrow();
    let thrown: unknown;
    try {
      checkAddress('0.0.0.0', false);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DiagnosticError);
    expect((thrown as DiagnosticError).diagnostics[0]).toMatchObject({ code: 'dashboard/address', hint: expect.stringContaining('--address 0.0.0.0') });
  });

  it('accepts the Host names of the address it listens on, and no other', () => {
    const loopback = allowedHosts('127.0.0.1', 38081);
    expect([...loopback!].sort()).toEqual(['127.0.0.1:38081', '[::1]:38081', 'localhost:38081']);
    expect(loopback!.has('evil.example:38081')).toBe(false);
    expect([...allowedHosts('192.168.1.5', 80)!]).toEqual(['192.168.1.5:80']);
    // Every interface, chosen with --address: reached by any of the machine's names.
    expect(allowedHosts('0.0.0.0', 80)).toBeUndefined();
  });

  it('makes a fresh random token each time and compares tokens exactly', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(tokenMatches(token, `${token}x`)).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
  });

  it('reads the token from the Authorization header first, then from ?token=', () => {
    expect(requestToken({ authorization: 'Bearer abc' }, new URL('http://h/api/x?token=def'))).toBe('abc');
    expect(requestToken({}, new URL('http://h/api/x?token=def'))).toBe('def');
    expect(requestToken({ authorization: 'Basic abc' }, new URL('http://h/api/x'))).toBeUndefined();
  });
});
