// mazevault token …: PKCS#11 profiles, tokens and the keys on them. The user PIN comes from
// --pin-file, MAZEVAULT_PKCS11_PIN or a hidden prompt, and is never printed or stored.
import { tokenPin } from '../secrets-input';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { PRESET_IDS, type PresetId } from '../../providers/pkcs11/presets';
import { slotNumber, slotNumberText } from '../../providers/pkcs11/token-info';
import type { Services } from '../../services';
import { oneOf, parseWholeNumber, withServices, withVaultOption } from '../context';
import { table, type Output } from '../output';

export interface Pkcs11Store {
  profile: string;
  tokenLabel?: string;
  tokenSerial?: string;
}

/** The forms `--store` takes for a token, for help texts and errors. */
export const PKCS11_STORE_FORMS = 'pkcs11:PROFILE[:TOKEN_LABEL|:serial=SERIAL]';

/**
 * Parses `--store pkcs11:PROFILE[:TOKEN_LABEL]` or `pkcs11:PROFILE:serial=SERIAL` (two tokens may
 * share a label; the serial tells them apart). `label=TEXT` names a label that itself starts with
 * "serial=". Undefined for any other store.
 */
export function parsePkcs11Store(store: string | undefined): Pkcs11Store | undefined {
  if (!store || !store.startsWith('pkcs11:')) return undefined;
  const [, profile, ...rest] = store.split(':');
  const token = rest.join(':');
  if (!profile) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'Write the store as pkcs11:PROFILE, pkcs11:PROFILE:TOKEN_LABEL or pkcs11:PROFILE:serial=SERIAL.',
    );
  }
  if (token.startsWith('serial=')) {
    const tokenSerial = token.slice('serial='.length).trim();
    if (!tokenSerial) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Give the token serial after "serial=", e.g. pkcs11:${profile}:serial=0123456789abcdef.`,
      );
    }
    return { profile, tokenSerial };
  }
  const tokenLabel = token.startsWith('label=') ? token.slice('label='.length) : token;
  return { profile, ...(tokenLabel ? { tokenLabel } : {}) };
}

/**
 * Connects the store's profile, finds its token and logs in, so that KeyService.generate with
 * `{ provider: 'pkcs11', providerOptions }` and issuance can use it. For `key generate --store`,
 * `ca root --store` and `ca sub --store`.
 */
export async function preparePkcs11Store(
  services: Services,
  store: Pkcs11Store,
  pinFile: string | undefined,
): Promise<{ profile: string; tokenSerial: string }> {
  const tokenSerial = await services.pkcs11.resolveTokenSerial(
    store.profile,
    store.tokenSerial
      ? { serial: store.tokenSerial }
      : store.tokenLabel
        ? { label: store.tokenLabel }
        : {},
    (serial) => `--store pkcs11:${store.profile}:serial=${serial}`,
  );
  if (!(await services.pkcs11.loginWithRememberedPin(store.profile, tokenSerial))) {
    await services.pkcs11.login(store.profile, tokenSerial, await tokenPin(pinFile));
  }
  return { profile: store.profile, tokenSerial };
}

async function withTokens<T>(
  command: Command,
  vault: string,
  work: (services: Services, output: Output) => Promise<T>,
): Promise<T> {
  return withServices(command, vault, async (services, output) => {
    try {
      return await work(services, output);
    } finally {
      await services.pkcs11.close();
    }
  });
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('HSMs and smart cards over PKCS#11');

  withVaultOption(token.command('profile-add'))
    .description('check a PKCS#11 module and save it as a connection profile')
    .requiredOption('--name <name>', 'the profile name, used in pkcs11:NAME')
    .requiredOption('--module <path>', 'the PKCS#11 module (shared library)')
    .option(
      '--preset <preset>',
      `one of ${PRESET_IDS.join(', ')}`,
      oneOf(PRESET_IDS, 'preset'),
      'custom' as PresetId,
    )
    .option('--timeout <seconds>', 'call timeout', parseWholeNumber('timeout'))
    .action(
      async (
        options: {
          vault: string;
          name: string;
          module: string;
          preset: PresetId;
          timeout?: number;
        },
        command: Command,
      ) => {
        await withTokens(command, options.vault, async (services, output) => {
          const profile = await services.pkcs11.saveProfile({
            name: options.name,
            preset: options.preset,
            modulePath: options.module,
            ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
          });
          output.result({ profile }, `Saved profile ${profile.name} (${profile.modulePath}).`);
        });
      },
    );

  withVaultOption(token.command('list'))
    .description('list the slots and tokens of a profile, with their flags and mechanisms')
    .requiredOption('--profile <name>', 'the connection profile')
    .action(async (options: { vault: string; profile: string }, command: Command) => {
      await withTokens(command, options.vault, async (services, output) => {
        const slots = await services.pkcs11.listSlots(options.profile);
        const rows = [['SLOT', 'LABEL', 'SERIAL', 'MODEL', 'FIRMWARE', 'FLAGS']];
        for (const slot of slots) {
          const t = slot.token;
          const flags = t
            ? Object.entries(t.flags)
                .filter(([name, on]) => name !== 'raw' && on === true)
                .map(([name]) => name)
                .join(',')
            : 'no token';
          rows.push([
            slotNumberText(slot.slotId),
            t?.label ?? '',
            t?.serial ?? '',
            t ? `${t.manufacturer} ${t.model}` : '',
            t?.firmwareVersion ?? '',
            flags,
          ]);
        }
        output.result(
          {
            slots: slots.map((slot) => ({
              ...slot,
              slotNumber: slotNumber(slot.slotId).toString(),
            })),
          },
          table(rows),
        );
      });
    });

  withVaultOption(token.command('keys'))
    .description('log in to a token and list the keys on it; --import adds them to the inventory')
    .requiredOption('--profile <name>', 'the connection profile')
    .option('--token <label>', 'the token label (needed when the profile has several tokens)')
    .option('--serial <serial>', 'the token serial')
    .option('--pin-file <file>', 'read the user PIN from the first line of a file')
    .option('--import', 'add the usable keys to the inventory')
    .action(
      async (
        options: {
          vault: string;
          profile: string;
          token?: string;
          serial?: string;
          pinFile?: string;
          import?: boolean;
        },
        command: Command,
      ) => {
        await withTokens(command, options.vault, async (services, output) => {
          const serial = await services.pkcs11.resolveTokenSerial(
            options.profile,
            {
              ...(options.serial ? { serial: options.serial } : {}),
              ...(options.token ? { label: options.token } : {}),
            },
            (candidate) => `--serial ${candidate}`,
          );
          if (!(await services.pkcs11.loginWithRememberedPin(options.profile, serial))) {
            await services.pkcs11.login(options.profile, serial, await tokenPin(options.pinFile));
          }
          const imported = options.import
            ? await services.pkcs11.importKeys(options.profile, serial)
            : [];
          const keys = await services.pkcs11.discoverKeys(options.profile, serial);
          const rows = [
            ['CKA_ID', 'LABEL', 'ALGORITHM', 'SENSITIVE', 'EXTRACTABLE', 'CERTS', 'INVENTORY'],
          ];
          for (const key of keys) {
            rows.push([
              key.ckaId,
              key.label,
              key.algorithm ?? 'unsupported',
              String(key.sensitive),
              String(key.extractable),
              String(key.certificates.length),
              key.inventoryKeyId ?? '-',
            ]);
          }
          const json = keys.map(({ certificates, ...key }) => ({
            ...key,
            certificates: certificates.length,
          }));
          output.result(
            { tokenSerial: serial, keys: json, imported: imported.map((k) => k.id) },
            table(rows),
          );
        });
      },
    );
}
