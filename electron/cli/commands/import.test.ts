import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp';
import { failureSummary } from './import';
import { runMazevault } from '../../testing/cli';

let dir: { path: string; cleanup: () => void };

function mazevault(args: string[]) {
  return runMazevault(args);
}

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('the closing line of an import with failures (finding 16)', () => {
  it('says nothing was imported when every entry failed, not "the others were imported"', () => {
    const vault = join(dir.path, 'v.mzv');
    expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
    const junk = join(dir.path, 'junk.pem');
    writeFileSync(
      junk,
      '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n',
    );
    const run = mazevault(['import', '--vault', vault, junk]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^mazevault: Nothing was imported: 1 of 1 entry could not be imported/,
    );
    expect(run.stderr).not.toContain('the others');
  });

  it('counts what was imported when only some entries failed', () => {
    expect(failureSummary({ new: 2, existing: 1, skipped: 1, failed: 1 }, 5)).toBe(
      '1 of 5 entries could not be imported; the other 3 were imported. The list above says why.',
    );
    expect(failureSummary({ new: 0, existing: 0, skipped: 1, failed: 1 }, 2)).toMatch(
      /^Nothing was imported: 1 of 2 entries/,
    );
  });
});
