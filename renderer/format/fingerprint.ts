// Fingerprints in the colon-separated upper-case form OpenSSL prints, so an officer can compare
// them with `openssl x509 -fingerprint` character by character.

export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}
