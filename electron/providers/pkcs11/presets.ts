// What MazeVault knows about common PKCS#11 modules: where vendors install them and the quirks an
// officer meets. Paths are candidates, checked in order; the officer can always enter another.

export const PRESET_IDS = [
  'softhsm2',
  'luna',
  'nshield',
  'utimaco',
  'cloudhsm',
  'yubihsm2',
  'opensc',
  'custom',
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface ModulePreset {
  id: PresetId;
  name: string;
  /** Usual module paths by platform (process.platform). */
  paths: Partial<Record<NodeJS.Platform, string[]>>;
  /** What the officer should know, shown next to the profile. */
  quirks: string[];
  /** How the login secret is formed on this HSM, for the PIN prompt. */
  pinHint: string;
  /** Call timeout; network HSMs get more time than local tokens. */
  timeoutMs: number;
}

export const PRESETS: Readonly<Record<PresetId, ModulePreset>> = {
  softhsm2: {
    id: 'softhsm2',
    name: 'SoftHSM2',
    paths: {
      linux: [
        '/usr/lib/softhsm/libsofthsm2.so',
        '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
        '/usr/local/lib/softhsm/libsofthsm2.so',
        '/usr/lib64/pkcs11/libsofthsm2.so',
      ],
      darwin: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll'],
    },
    quirks: [
      'A software token for tests and training, not for production CA keys.',
      'Tokens live in the directory named by SOFTHSM2_CONF (directories.tokendir).',
      'An initialised token moves to a new slot; MazeVault follows it by serial.',
      'No PIN retry counter: wrong PINs never lock the token.',
    ],
    pinHint: 'User PIN (4–255 characters).',
    timeoutMs: 15_000,
  },
  luna: {
    id: 'luna',
    name: 'Thales Luna Network HSM / Luna PCIe',
    paths: {
      linux: ['/usr/safenet/lunaclient/lib/libCryptoki2_64.so', '/usr/lib/libcklog2.so'],
      win32: ['C:\\Program Files\\SafeNet\\LunaClient\\cryptoki.dll'],
    },
    quirks: [
      'The client reads Chrystoki.conf (ChrystokiConfigurationPath); register the client and assign the partition first (vtl verify lists it).',
      'Each partition is a token; HA groups appear as a virtual slot with their own serial.',
      'Partitions in FIPS mode refuse CKM_RSA_PKCS signing of raw digests; MazeVault uses the hash-and-sign mechanisms.',
      'Too many wrong Crypto Officer PINs lock the partition; the Partition SO must reset it.',
    ],
    pinHint:
      'Crypto Officer (partition) password; with PED authentication, press Enter and use the PED.',
    timeoutMs: 60_000,
  },
  nshield: {
    id: 'nshield',
    name: 'Entrust nShield',
    paths: {
      linux: ['/opt/nfast/toolkits/pkcs11/libcknfast.so'],
      win32: ['C:\\Program Files\\nCipher\\nfast\\toolkits\\pkcs11\\cknfast.dll'],
    },
    quirks: [
      'Configure the module with /opt/nfast/cknfastrc (CKNFAST_LOADSHARING=1 to see softcards and OCS as tokens).',
      'Module-protected keys show in a token named "accelerator"; CA keys belong to an OCS or softcard.',
      'OCS with k-of-n cards: present the quorum cards when asked; the PIN is the card passphrase.',
    ],
    pinHint: 'Operator card set or softcard passphrase.',
    timeoutMs: 60_000,
  },
  utimaco: {
    id: 'utimaco',
    name: 'Utimaco CryptoServer',
    paths: {
      linux: [
        '/opt/utimaco/lib/libcs_pkcs11_R3.so',
        '/usr/lib/libcs_pkcs11_R3.so',
        '/opt/utimaco/PKCS11_R3/lib/libcs_pkcs11_R3.so',
      ],
      win32: ['C:\\Program Files\\Utimaco\\CryptoServer\\Lib\\cs_pkcs11_R3.dll'],
    },
    quirks: [
      'The module reads the file named by CS_PKCS11_R3_CFG (device address, timeouts, logging).',
      'Slots are numbered by the configuration; tokens keep their serial across slot changes.',
      'Keep KeepAlive on for network devices: idle connections are dropped by the appliance.',
    ],
    pinHint: 'User PIN of the slot.',
    timeoutMs: 60_000,
  },
  cloudhsm: {
    id: 'cloudhsm',
    name: 'AWS CloudHSM (PKCS#11 library)',
    paths: {
      linux: ['/opt/cloudhsm/lib/libcloudhsm_pkcs11.so'],
      win32: ['C:\\Program Files\\Amazon\\CloudHSM\\lib\\cloudhsm_pkcs11.dll'],
    },
    quirks: [
      'Configure the cluster first (/opt/cloudhsm/bin/configure-pkcs11 -a <ENI IP>); the HSMs are reached over the VPC network.',
      'The whole cluster is one slot and one token.',
      'Keys are replicated across the cluster asynchronously; wait before using a new key on another client.',
    ],
    pinHint: 'Crypto user as "username:password".',
    timeoutMs: 60_000,
  },
  yubihsm2: {
    id: 'yubihsm2',
    name: 'YubiHSM 2',
    paths: {
      linux: [
        '/usr/lib/x86_64-linux-gnu/pkcs11/yubihsm_pkcs11.so',
        '/usr/lib64/pkcs11/yubihsm_pkcs11.so',
        '/usr/local/lib/pkcs11/yubihsm_pkcs11.so',
      ],
      darwin: ['/usr/local/lib/pkcs11/yubihsm_pkcs11.dylib'],
      win32: ['C:\\Program Files\\Yubico\\YubiHSM Shell\\bin\\pkcs11\\yubihsm_pkcs11.dll'],
    },
    quirks: [
      'The module reads yubihsm_pkcs11.conf (YUBIHSM_PKCS11_CONF); connector=yhusb:// for USB or the local yubihsm-connector.',
      'Object ids are 16-bit: CKA_ID is two bytes, so MazeVault ids may be shortened by the module.',
      'Token initialisation is done with yubihsm-setup, not through PKCS#11.',
    ],
    pinHint: 'Authentication key id (4 hex digits) followed by its password, e.g. 0001password.',
    timeoutMs: 30_000,
  },
  opensc: {
    id: 'opensc',
    name: 'Smart cards via OpenSC',
    paths: {
      linux: [
        '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib/opensc-pkcs11.so',
        '/usr/lib64/opensc-pkcs11.so',
      ],
      darwin: ['/Library/OpenSC/lib/opensc-pkcs11.so'],
      win32: ['C:\\Windows\\System32\\opensc-pkcs11.dll'],
    },
    quirks: [
      'Needs pcscd running and the card in the reader; each reader is a slot.',
      'PIV signature keys (9C) carry CKA_ALWAYS_AUTHENTICATE: the PIN is sent again for each signature.',
      'Cards count wrong PINs (often 3); the window shows the card’s "final try" warning.',
    ],
    pinHint: 'Card PIN.',
    timeoutMs: 30_000,
  },
  custom: {
    id: 'custom',
    name: 'Other PKCS#11 module',
    paths: {},
    quirks: ["Enter the path of the vendor's PKCS#11 library."],
    pinHint: 'User PIN.',
    timeoutMs: 30_000,
  },
};

/** The first usual path of a preset that exists on this computer. */
export function suggestedModulePath(
  preset: PresetId,
  exists: (path: string) => boolean,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  return (PRESETS[preset].paths[platform] ?? []).find(exists);
}
