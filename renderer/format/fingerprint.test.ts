import { describe, expect, it } from 'vitest';
import { colonHex } from './fingerprint';

describe('fingerprints as OpenSSL prints them', () => {
  it('upper-cases the hex and puts a colon between bytes', () => {
    expect(colonHex('0a1bff')).toBe('0A:1B:FF');
  });

  it('turns a SHA-256 hex digest into 32 colon-separated bytes', () => {
    const text = colonHex('ab'.repeat(32));
    expect(text).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('gives an empty string for an empty digest', () => {
    expect(colonHex('')).toBe('');
  });
});
