// Matching the expected peer against the leaf's subjectAltName (RFC 6125 §6; RFC 9525 drops the
// common-name fallback, and so do we). Wildcards: only `*` as the whole leftmost label, matching
// exactly one label, and never directly above a single-label suffix such as `*.com`.
import { isIP } from 'node:net';
import { formatIp, isValidDnsName, type GeneralName } from './general-name';
import type { PeerName } from './types';

function ipBytes(text: string): Buffer | null {
  const family = isIP(text);
  if (family === 4) return Buffer.from(text.split('.').map(Number));
  if (family !== 6) return null;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const groups = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function dnsMatches(presented: string, reference: string): boolean {
  const p = presented.toLowerCase();
  const r = reference.toLowerCase();
  if (!isValidDnsName(p, { wildcard: true })) return false;
  if (!p.startsWith('*.')) return p === r;
  const suffix = p.slice(2);
  // Approximates the public-suffix rule (CABF BR §3.2.2.6) for single-label suffixes.
  if (!suffix.includes('.')) return false;
  const dot = r.indexOf('.');
  return dot > 0 && r.slice(dot + 1) === suffix;
}

function mailboxMatches(presented: string, reference: string): boolean {
  const pa = presented.lastIndexOf('@');
  const ra = reference.lastIndexOf('@');
  if (pa <= 0 || ra <= 0) return false;
  return (
    presented.slice(0, pa) === reference.slice(0, ra) &&
    presented.slice(pa + 1).toLowerCase() === reference.slice(ra + 1).toLowerCase()
  );
}

/** Returns null on a match, else a sentence saying what the certificate names instead. */
export function matchPeerName(peer: PeerName, san: GeneralName[] | undefined): string | null {
  const names = san ?? [];
  let matched: boolean;
  if (peer.kind === 'DNS') {
    if (!isValidDnsName(peer.value, { wildcard: false })) {
      return `"${peer.value}" is not a valid DNS name to check against`;
    }
    matched = names.some((n) => n.kind === 'dns' && dnsMatches(n.value, peer.value));
  } else if (peer.kind === 'IP') {
    const wanted = ipBytes(peer.value);
    if (!wanted) return `"${peer.value}" is not a valid IP address to check against`;
    matched = names.some((n) => n.kind === 'ip' && n.bytes.equals(wanted));
  } else {
    matched = names.some((n) => n.kind === 'email' && mailboxMatches(n.value, peer.value));
  }
  if (matched) return null;
  const kind = peer.kind === 'DNS' ? 'dns' : peer.kind === 'IP' ? 'ip' : 'email';
  const offered = names
    .filter((n) => n.kind === kind)
    .map((n) =>
      n.kind === 'ip' ? formatIp(n.bytes) : n.kind === 'dns' || n.kind === 'email' ? n.value : '',
    );
  if (san === undefined) return 'the certificate has no subjectAltName extension to match against';
  if (offered.length === 0) return `the subjectAltName has no ${peer.kind} names`;
  return `the subjectAltName names ${offered.join(', ')}`;
}
