import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { readSecretFile } from './secrets-input';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('secrets read from files', () => {
  it('drops a UTF-8 byte order mark and the line end, as Windows editors write them', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    const path = join(dir.path, 'pass.txt');
    writeFileSync(path, '\uFEFFcorrect horse battery staple\r\n');
    expect(readSecretFile(path, 'passphrase')).toBe('correct horse battery staple');
  });

  it('keeps every other character of the first line, spaces included', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    const path = join(dir.path, 'pass.txt');
    writeFileSync(path, '  spaced pass  \nsecond line\n');
    expect(readSecretFile(path, 'passphrase')).toBe('  spaced pass  ');
  });
});
