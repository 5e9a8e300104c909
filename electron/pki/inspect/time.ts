// Validity times with the encoding used (RFC 5280 §4.1.2.5): UTCTime reads years 50–99 as 19xx
// and 00–49 as 20xx; GeneralizedTime carries the full year. Both must end in Z.
import { type Asn1Node, TAG, content, describeTag, is } from '../../formats/decode-asn1';

export interface TimeInfo {
  /** ISO 8601, UTC. Absent when the text is not a valid time. */
  iso?: string;
  encoding: 'UTCTime' | 'GeneralizedTime' | string;
  raw: string;
  problem?: string;
}

export function readTime(node: Asn1Node): TimeInfo {
  const raw = content(node).toString('latin1');
  if (is(node, TAG.UTC_TIME)) {
    const match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(raw);
    if (!match) return { encoding: 'UTCTime', raw, problem: 'not YYMMDDHHMMSSZ' };
    const year = Number(match[1]) >= 50 ? 1900 + Number(match[1]) : 2000 + Number(match[1]);
    const problem = match[6] === undefined ? 'seconds missing (not DER)' : undefined;
    return build('UTCTime', raw, year, match.slice(2, 7), problem);
  }
  if (is(node, TAG.GENERALIZED_TIME)) {
    const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(raw);
    if (!match) return { encoding: 'GeneralizedTime', raw, problem: 'not YYYYMMDDHHMMSSZ' };
    const problem = match[7] ? 'fractional seconds (not allowed by RFC 5280)' : undefined;
    return build('GeneralizedTime', raw, Number(match[1]), match.slice(2, 7), problem);
  }
  return { encoding: describeTag(node), raw, problem: 'not a time type' };
}

function build(
  encoding: string,
  raw: string,
  year: number,
  parts: (string | undefined)[],
  problem: string | undefined,
): TimeInfo {
  const [month, day, hour, minute, second] = parts.map((p) => Number(p ?? 0));
  const date = new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
  const valid =
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 61;
  if (!valid) return { encoding, raw, problem: 'not a calendar date' };
  return {
    iso: date.toISOString().replace('.000Z', 'Z'),
    encoding,
    raw,
    ...(problem ? { problem } : {}),
  };
}
