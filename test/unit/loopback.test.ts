/**
 * Loopback decides where plain http:// may go (the sandbox), so that no credential crosses a network
 * in clear (docs: cli-contract, Requests): 127.0.0.0/8, ::1 and the name localhost, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/core/net.js';

describe('isLoopback', () => {
  it.each([
    'localhost',
    '127.0.0.1',
    '127.0.0.2',
    '127.1.2.3',
    '127.255.255.255',
    '127.000.000.001',
    '::1',
    '[::1]',
  ])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each([
    // Names that only start or end like a loopback address.
    'localhost.',
    'localhost.example.test',
    'my-localhost',
    'xlocalhost',
    '127.0.0.1.example.test',
    'x127.0.0.1',
    '127.0.0.1x',
    '1127.0.0.1',
    '127.0.0.1.5',
    '127.0.0',
    '127.0.0.1234',
    '127a0b0c1',
    '127.0.0.',
    '.127.0.0.1',
    // Other addresses.
    '128.0.0.1',
    '126.0.0.1',
    '0.0.0.0',
    '10.0.0.1',
    '::',
    '::2',
    '[::2]',
    '::1:1',
    '[::1]:80',
    '::ffff:127.0.0.1',
    '',
    '[]',
    '[localhost]x',
  ])('%j is not loopback', (host) => {
    expect(isLoopback(host)).toBe(false);
  });

  it('strips the brackets around an IPv6 literal, not brackets inside it', () => {
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback(':[:1')).toBe(false);
    expect(isLoopback('::]1')).toBe(false);
    expect(isLoopback('[:[:1]')).toBe(false);
  });
});
