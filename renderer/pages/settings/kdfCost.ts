// How the vault's scrypt parameters read to an officer, and which stronger settings the settings
// page offers. scrypt needs about 128 · N · r · p bytes of memory per derivation (RFC 7914 §2).

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** The floor a new vault gets (electron/vault/kdf.ts MINIMUM_SCRYPT). */
export const MINIMUM_SCRYPT_N = 2 ** 17;
/** The highest N the page offers: 1 GiB per unlock at r=8, as much as an officer's laptop spares. */
export const HIGHEST_OFFERED_N = 2 ** 20;
/** The contract refuses a cost that needs more memory than this per derivation. */
export const MAX_KDF_MEMORY_BYTES = 2 ** 30;

export function kdfMemoryBytes(cost: ScryptCost): number {
  return 128 * cost.N * cost.r * cost.p;
}

/** "2^17" for a power of two, the plain number otherwise. */
export function powerOfTwo(n: number): string {
  const exponent = Math.log2(n);
  return Number.isInteger(exponent) ? `2^${exponent}` : String(n);
}

/** "128 MiB", "1 GiB", "4 MiB". */
export function formatMemory(bytes: number): string {
  const mib = bytes / 2 ** 20;
  if (mib >= 1024 && mib % 1024 === 0) return `${mib / 1024} GiB`;
  return `${Math.round(mib * 10) / 10} MiB`;
}

/** "scrypt N=2^17, r=8, p=1 (128 MiB per unlock)". */
export function describeKdf(cost: ScryptCost): string {
  return `scrypt N=${powerOfTwo(cost.N)}, r=${cost.r}, p=${cost.p} (${formatMemory(kdfMemoryBytes(cost))} per unlock)`;
}

export function isBelowMinimum(cost: ScryptCost): boolean {
  return cost.N < MINIMUM_SCRYPT_N;
}

/**
 * The N values the page offers for raising the cost: every power of two above the current N up to
 * HIGHEST_OFFERED_N, and never one whose memory at the current r and p exceeds the limit.
 */
export function strongerCostOptions(current: ScryptCost): number[] {
  const options: number[] = [];
  for (let n = 2 ** (Math.floor(Math.log2(current.N)) + 1); n <= HIGHEST_OFFERED_N; n *= 2) {
    if (kdfMemoryBytes({ ...current, N: n }) > MAX_KDF_MEMORY_BYTES) break;
    options.push(n);
  }
  return options;
}
