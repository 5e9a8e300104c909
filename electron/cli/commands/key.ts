// mazevault key …: generate keys, list them, move them through the NIST SP 800-57 lifecycle.
import type { Command } from 'commander';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../../shared/algorithms';
import { KEY_PURPOSES, type KeyPurpose } from '../../../shared/cryptoperiods';
import { KEY_STATES, type KeyState } from '../../../shared/lifecycle';
import type { KeyRecord } from '../../keys/records';
import { MazeVaultError } from '../../../shared/errors';
import { oneOf, parseWholeNumber, withServices, withVaultOption } from '../context';
import { parseKeyStore } from './ca';
import { PKCS11_STORE_FORMS, preparePkcs11Store } from './token';
import { table } from '../output';

/** The public view of a key for --json: no provider internals, the SPKI as base64. */
export function keyJson(key: KeyRecord): Record<string, unknown> {
  const { providerRef: _ref, publicKey, ...rest } = key;
  return { ...rest, publicKey: publicKey.toString('base64') };
}

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('generate keys and manage their lifecycle');

  withVaultOption(key.command('generate'))
    .description('generate a key in the vault')
    .requiredOption(
      '--algorithm <name>',
      `one of ${KEY_ALGORITHMS.join(', ')}`,
      oneOf(KEY_ALGORITHMS, 'algorithm'),
    )
    .requiredOption('--label <text>', 'a name people recognise')
    .option(
      '--purpose <purpose>',
      `one of ${KEY_PURPOSES.join(', ')}`,
      oneOf(KEY_PURPOSES, 'purpose'),
      'general',
    )
    .option('--pre-active', 'leave the key Pre-active until it is activated')
    .option('--store <store>', `vault (default) or ${PKCS11_STORE_FORMS}`)
    .option(
      '--pin-file <file>',
      'token user PIN when a token key is used (else MAZEVAULT_PKCS11_PIN or a prompt)',
    )
    .action(
      async (
        options: {
          vault: string;
          algorithm: string;
          label: string;
          purpose: string;
          preActive?: boolean;
          store?: string;
          pinFile?: string;
        },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          const store = parseKeyStore(options.store);
          const placement = store
            ? await preparePkcs11Store(services, store, options.pinFile)
            : undefined;
          const record = await services.keys.generate({
            algorithm: options.algorithm as KeyAlgorithm,
            label: options.label,
            purpose: options.purpose as KeyPurpose,
            activate: options.preActive !== true,
            ...(placement ? { provider: 'pkcs11' as const, providerOptions: placement } : {}),
          });
          output.result({ ...keyJson(record), id: record.id }, [
            `Generated ${record.algorithm} key ${record.id} (${record.state})`,
            `SPKI SHA-256 ${record.spkiSha256}`,
          ]);
        });
      },
    );

  withVaultOption(key.command('list'))
    .description('list the keys in the vault')
    .option(
      '--state <state>',
      `only keys in this state: ${KEY_STATES.join(', ')}`,
      oneOf(KEY_STATES, 'state'),
    )
    .option('--limit <n>', 'at most n keys (up to 10000)', parseWholeNumber('limit'), 500)
    .option('--offset <n>', 'skip the first n (for paging)', parseWholeNumber('offset'), 0)
    .action(
      async (
        options: { vault: string; state?: string; limit: number; offset: number },
        command: Command,
      ) => {
        if (options.limit < 1 || options.limit > 10_000) {
          throw new MazeVaultError('INVALID_INPUT', '--limit takes 1 to 10000 keys.');
        }
        await withServices(command, options.vault, async (services, output) => {
          const filter = options.state ? { state: options.state as KeyState } : {};
          const total = services.keys.count(filter);
          const keys = services.keys.list({
            ...filter,
            limit: options.limit,
            offset: options.offset,
          });
          const end = options.offset + keys.length;
          output.result(
            { keys: keys.map(keyJson), total, offset: options.offset },
            keys.length
              ? [
                  ...table([
                    ['ID', 'STATE', 'ALGORITHM', 'LABEL'],
                    ...keys.map((k) => [k.id, k.state, k.algorithm, k.label]),
                  ]),
                  ...(end < total
                    ? [
                        `Showing ${options.offset + 1}–${end} of ${total}; the next page: ` +
                          `--offset ${end}.`,
                      ]
                    : []),
                ]
              : [total ? `No keys at offset ${options.offset} of ${total}.` : 'No keys.'],
          );
        });
      },
    );

  withVaultOption(key.command('state'))
    .description('move a key to another lifecycle state (audited, with a reason)')
    .argument('<keyId>', 'the key')
    .requiredOption(
      '--to <state>',
      `the new state: ${KEY_STATES.join(', ')}`,
      oneOf(KEY_STATES, 'to'),
    )
    .requiredOption('--reason <text>', 'why, for the audit trail')
    .action(
      async (
        keyId: string,
        options: { vault: string; to: string; reason: string },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          const record = await services.keys.transition(
            keyId,
            options.to as KeyState,
            options.reason,
          );
          output.result(
            { ...keyJson(record), id: record.id },
            `Key ${record.id} is now ${record.state}.`,
          );
        });
      },
    );
}
