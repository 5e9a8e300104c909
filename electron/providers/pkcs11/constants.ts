// The PKCS#11 v2.40 numbers this provider uses (OASIS PKCS#11 Base Specification v2.40, pkcs11t.h).
// Kept here, not imported from pkcs11js, so the main thread never loads the native addon; a test
// checks every value against pkcs11js.

export const CKO = { CERTIFICATE: 0x1, PUBLIC_KEY: 0x2, PRIVATE_KEY: 0x3 } as const;
export const CKK = { RSA: 0x0, EC: 0x3, EC_EDWARDS: 0x40 } as const;
export const CKC_X_509 = 0x0;
export const CKU = { SO: 0, USER: 1, CONTEXT_SPECIFIC: 2 } as const;

export const CKA = {
  CLASS: 0x0,
  TOKEN: 0x1,
  PRIVATE: 0x2,
  LABEL: 0x3,
  VALUE: 0x11,
  CERTIFICATE_TYPE: 0x80,
  ISSUER: 0x81,
  SERIAL_NUMBER: 0x82,
  KEY_TYPE: 0x100,
  SUBJECT: 0x101,
  ID: 0x102,
  SENSITIVE: 0x103,
  ENCRYPT: 0x104,
  DECRYPT: 0x105,
  WRAP: 0x106,
  UNWRAP: 0x107,
  SIGN: 0x108,
  SIGN_RECOVER: 0x109,
  VERIFY: 0x10a,
  VERIFY_RECOVER: 0x10b,
  DERIVE: 0x10c,
  MODULUS: 0x120,
  MODULUS_BITS: 0x121,
  PUBLIC_EXPONENT: 0x122,
  EXTRACTABLE: 0x162,
  LOCAL: 0x163,
  NEVER_EXTRACTABLE: 0x164,
  ALWAYS_SENSITIVE: 0x165,
  EC_PARAMS: 0x180,
  EC_POINT: 0x181,
  ALWAYS_AUTHENTICATE: 0x202,
} as const;

export const CKM = {
  RSA_PKCS_KEY_PAIR_GEN: 0x0,
  RSA_PKCS: 0x1,
  RSA_PKCS_PSS: 0xd,
  SHA256_RSA_PKCS: 0x40,
  SHA384_RSA_PKCS: 0x41,
  SHA512_RSA_PKCS: 0x42,
  SHA256_RSA_PKCS_PSS: 0x43,
  SHA384_RSA_PKCS_PSS: 0x44,
  SHA512_RSA_PKCS_PSS: 0x45,
  SHA256: 0x250,
  SHA384: 0x260,
  SHA512: 0x270,
  EC_KEY_PAIR_GEN: 0x1040,
  ECDSA: 0x1041,
  ECDSA_SHA256: 0x1044,
  ECDSA_SHA384: 0x1045,
  ECDSA_SHA512: 0x1046,
  EC_EDWARDS_KEY_PAIR_GEN: 0x1055,
  EDDSA: 0x1057,
} as const;

export const CKG_MGF1 = { SHA256: 0x2, SHA384: 0x3, SHA512: 0x4 } as const;

export const CKF_SESSION = { RW: 0x2, SERIAL: 0x4 } as const;

export const CKF_SLOT = { TOKEN_PRESENT: 0x1, REMOVABLE_DEVICE: 0x2, HW_SLOT: 0x4 } as const;

export const CKF_TOKEN = {
  RNG: 0x1,
  WRITE_PROTECTED: 0x2,
  LOGIN_REQUIRED: 0x4,
  USER_PIN_INITIALIZED: 0x8,
  PROTECTED_AUTHENTICATION_PATH: 0x100,
  TOKEN_INITIALIZED: 0x400,
  USER_PIN_COUNT_LOW: 0x10000,
  USER_PIN_FINAL_TRY: 0x20000,
  USER_PIN_LOCKED: 0x40000,
  USER_PIN_TO_BE_CHANGED: 0x80000,
  SO_PIN_COUNT_LOW: 0x100000,
  SO_PIN_FINAL_TRY: 0x200000,
  SO_PIN_LOCKED: 0x400000,
  SO_PIN_TO_BE_CHANGED: 0x800000,
} as const;

export const CKF_MECHANISM = {
  HW: 0x1,
  ENCRYPT: 0x100,
  DECRYPT: 0x200,
  DIGEST: 0x400,
  SIGN: 0x800,
  VERIFY: 0x2000,
  GENERATE_KEY_PAIR: 0x10000,
} as const;

/**
 * Mechanisms MazeVault does not call but tokens list (PKCS#11 v2.40 and v3.0 §6), named so the
 * officer reads "CKM_AES_GCM" rather than a number on the Tokens page.
 */
const LISTED_MECHANISMS: Readonly<Record<string, number>> = {
  RSA_9796: 0x2,
  RSA_X_509: 0x3,
  MD5_RSA_PKCS: 0x5,
  SHA1_RSA_PKCS: 0x6,
  RSA_PKCS_OAEP: 0x9,
  RSA_X9_31_KEY_PAIR_GEN: 0xa,
  SHA1_RSA_PKCS_PSS: 0xe,
  DSA_KEY_PAIR_GEN: 0x10,
  DSA: 0x11,
  DSA_SHA1: 0x12,
  DSA_SHA224: 0x13,
  DSA_SHA256: 0x14,
  DSA_SHA384: 0x15,
  DSA_SHA512: 0x16,
  DH_PKCS_KEY_PAIR_GEN: 0x20,
  DH_PKCS_DERIVE: 0x21,
  SHA224_RSA_PKCS: 0x46,
  SHA224_RSA_PKCS_PSS: 0x47,
  DES_KEY_GEN: 0x120,
  DES_ECB: 0x121,
  DES_CBC: 0x122,
  DES_CBC_PAD: 0x125,
  DES2_KEY_GEN: 0x130,
  DES3_KEY_GEN: 0x131,
  DES3_ECB: 0x132,
  DES3_CBC: 0x133,
  DES3_CBC_PAD: 0x136,
  DES3_CMAC: 0x138,
  MD5: 0x210,
  MD5_HMAC: 0x211,
  SHA_1: 0x220,
  SHA_1_HMAC: 0x221,
  SHA256_HMAC: 0x251,
  SHA224: 0x255,
  SHA224_HMAC: 0x256,
  SHA384_HMAC: 0x261,
  SHA512_HMAC: 0x271,
  GENERIC_SECRET_KEY_GEN: 0x350,
  ECDSA_SHA1: 0x1042,
  ECDSA_SHA224: 0x1043,
  ECDH1_DERIVE: 0x1050,
  ECDH1_COFACTOR_DERIVE: 0x1051,
  EC_MONTGOMERY_KEY_PAIR_GEN: 0x1056,
  AES_KEY_GEN: 0x1080,
  AES_ECB: 0x1081,
  AES_CBC: 0x1082,
  AES_MAC: 0x1083,
  AES_CBC_PAD: 0x1085,
  AES_CTR: 0x1086,
  AES_GCM: 0x1087,
  AES_CMAC: 0x108a,
  AES_KEY_WRAP: 0x2109,
  AES_KEY_WRAP_PAD: 0x210a,
};

/** Mechanism names for display; the window lists only what the token offers. */
export const MECHANISM_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries({ ...LISTED_MECHANISMS, ...CKM }).map(([name, value]) => [value, `CKM_${name}`]),
);
