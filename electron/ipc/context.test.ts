import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServices } from '../services';
import { TEST_PASSPHRASE, tempDir } from '../testing/temp';
import { AppContext } from './context';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe("the window's session", () => {
  it('logs out of tokens and unloads PKCS#11 modules when the vault closes or another opens', async () => {
    const dir = tempDir('mazevault-context-');
    cleanups.push(dir.cleanup);
    const closes: string[] = [];
    const context = new AppContext({
      emit: () => undefined,
      defaultDirectory: dir.path,
      version: '0.0.0-test',
      actor: 'test-officer',
      kdfCost: 'test-only',
      createServices: (vault) => {
        const services = createServices(vault);
        vi.spyOn(services.pkcs11, 'close').mockImplementation(() => {
          closes.push(vault.path);
          return Promise.resolve();
        });
        return services;
      },
    });

    const first = join(dir.path, 'first.mzv');
    const second = join(dir.path, 'second.mzv');
    await context.createVault(first, TEST_PASSPHRASE);
    await context.createVault(second, TEST_PASSPHRASE);
    expect(closes).toEqual([first]);

    context.close();
    expect(closes).toEqual([first, second]);
    expect(context.vault).toBeUndefined();
  });
});
