import { describe, expect, it } from 'vitest';
import { KEY_ALGORITHMS } from '../../shared/algorithms';
import { EXPORT_FORMATS, PROVIDER_KINDS } from '../../shared/contract';
import { KEY_PURPOSES } from '../../shared/cryptoperiods';
import {
  ALGORITHM_LABELS,
  FORMAT_EXTENSIONS,
  FORMAT_LABELS,
  OFFERED_FORMATS,
  PROVIDER_LABELS,
  PURPOSE_LABELS,
} from './labels';

describe('the labels the window shows for contract codes', () => {
  it('names every key algorithm, purpose and store, and nothing else', () => {
    expect(Object.keys(ALGORITHM_LABELS).sort()).toEqual([...KEY_ALGORITHMS].sort());
    expect(Object.keys(PURPOSE_LABELS).sort()).toEqual([...KEY_PURPOSES].sort());
    expect(Object.keys(PROVIDER_LABELS).sort()).toEqual([...PROVIDER_KINDS].sort());
  });

  it('writes algorithms as officers and standards do', () => {
    expect(ALGORITHM_LABELS['ec-p384']).toBe('EC P-384');
    expect(ALGORITHM_LABELS['rsa-3072']).toBe('RSA 3072');
    expect(ALGORITHM_LABELS.ed25519).toBe('Ed25519');
  });

  it('gives every export format a label and a file extension', () => {
    for (const format of EXPORT_FORMATS) {
      expect(FORMAT_LABELS[format]).toBeTruthy();
      expect(FORMAT_EXTENSIONS[format]).toMatch(/^[a-z0-9]+$/);
    }
  });

  it('never offers a plain, unencrypted PKCS#8 private key', () => {
    expect(OFFERED_FORMATS).not.toContain('pkcs8');
    expect(OFFERED_FORMATS).toContain('pkcs8-encrypted');
    for (const format of OFFERED_FORMATS) expect(EXPORT_FORMATS).toContain(format);
  });

  it('uses distinct labels, so no two choices read the same', () => {
    for (const labels of [ALGORITHM_LABELS, PURPOSE_LABELS, PROVIDER_LABELS, FORMAT_LABELS]) {
      const values = Object.values(labels);
      expect(new Set(values).size).toBe(values.length);
    }
  });
});
