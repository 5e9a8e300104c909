// Branded identifiers: a KeyId cannot be passed where a CertId is expected.
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type KeyId = Brand<string, 'KeyId'>;
export type CertId = Brand<string, 'CertId'>;
export type CrlId = Brand<string, 'CrlId'>;
export type SlotId = Brand<string, 'SlotId'>;

export const asKeyId = (value: string): KeyId => value as KeyId;
export const asCertId = (value: string): CertId => value as CertId;
export const asCrlId = (value: string): CrlId => value as CrlId;
export const asSlotId = (value: string): SlotId => value as SlotId;
