// The bridge channel names for import, inspect and validate (issue #3). No zod here: the preload imports these names.
export const FORMAT_CHANNEL_NAMES = [
  'dialog:choose-files',
  'import:preview',
  'import:commit',
  'import:cancel',
  'inspect:file',
  'validate:certificate',
  'certificates:trust',
  'certificates:set-trust',
  'export:keystore',
  'export:csr',
  'export:crl',
] as const;

export type FormatChannel = (typeof FORMAT_CHANNEL_NAMES)[number];
