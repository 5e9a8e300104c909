// Where the shared public test vectors live: `../shared/corpus` beside the repository, used in
// place and read-only. A checkout elsewhere names it with MAZEVAULT_CORPUS; the workplace copy is
// the last resort, and a test that still cannot find it fails saying where it looked.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKPLACE_CORPUS = '/work/shared/corpus';

function locateCorpus(): string {
  const named = process.env.MAZEVAULT_CORPUS;
  if (named) return resolve(named);
  const beside = join(REPO_ROOT, '..', 'shared', 'corpus');
  if (existsSync(beside) || !existsSync(WORKPLACE_CORPUS)) return beside;
  return WORKPLACE_CORPUS;
}

export const CORPUS_DIR = locateCorpus();

export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}
