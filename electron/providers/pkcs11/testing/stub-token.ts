// Builds the misbehaving test module (stub-token.c) with gcc, one library per behaviour.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export type StubMode = 'locked' | 'final-try' | 'hang';
const MODE_NUMBER: Record<StubMode, number> = { locked: 1, 'final-try': 2, hang: 3 };

export function hasCompiler(): boolean {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function buildStubModule(dir: string, mode: StubMode): string {
  const source = fileURLToPath(new URL('./stub-token.c', import.meta.url));
  const headers = fileURLToPath(
    new URL('../../../../node_modules/pkcs11js/includes/pkcs11', import.meta.url),
  );
  const out = join(dir, `stub-${mode}.so`);
  execFileSync('gcc', [
    '-shared',
    '-fPIC',
    '-O1',
    `-DSTUB_MODE=${MODE_NUMBER[mode]}`,
    '-I',
    headers,
    '-o',
    out,
    source,
  ]);
  return out;
}
