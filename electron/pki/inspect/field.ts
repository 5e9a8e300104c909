// A field that cannot be decoded is shown as hex and flagged, and the rest of the object is
// still shown: every field is read through `attempt`, which records what went wrong.
import { MazeVaultError } from '../../../shared/errors';
import { type Asn1Node, encoded } from '../../formats/decode-asn1';

export interface Undecodable {
  undecodable: true;
  /** The field's bytes as found (header included), hex. */
  hex: string;
  problem: string;
}

export function isUndecodable(value: unknown): value is Undecodable {
  return typeof value === 'object' && value !== null && 'undecodable' in value;
}

/** Runs `read` on the node; on failure records a problem and returns the field as hex. */
export function attempt<T>(
  field: string,
  node: Asn1Node | undefined,
  problems: string[],
  read: (node: Asn1Node) => T,
): T | Undecodable {
  if (!node) {
    problems.push(`${field}: missing`);
    return { undecodable: true, hex: '', problem: 'missing' };
  }
  try {
    return read(node);
  } catch (error) {
    const problem =
      error instanceof MazeVaultError ? error.message : 'the field does not follow its ASN.1 type';
    problems.push(`${field}: ${problem}`);
    return { undecodable: true, hex: encoded(node).toString('hex'), problem };
  }
}
