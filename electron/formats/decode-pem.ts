// PEM text (RFC 7468): any number of blocks, explanatory text around them, LF, CRLF or CR line
// ends, and the RFC 1421 headers (Proc-Type, DEK-Info) of OpenSSL's encrypted traditional keys.
import { MazeVaultError } from '../../shared/errors';

export interface PemBlock {
  /** The label between BEGIN and END, e.g. CERTIFICATE, ENCRYPTED PRIVATE KEY. */
  label: string;
  headers: Record<string, string>;
  der: Buffer;
  /** Byte offset of the BEGIN line in the file. */
  offset: number;
}

const MAX_BLOCKS = 100_000;
const BEGIN = /-----BEGIN ([A-Z0-9 #]{1,64})-----/g;
const END = /-----END ([A-Z0-9 #]{0,64})-----/g;

/** True when the bytes look like PEM text: a BEGIN line, in text. */
export function looksLikePem(bytes: Buffer): boolean {
  const head = bytes.subarray(0, Math.min(bytes.length, 1 << 20)).toString('latin1');
  return /-----BEGIN [A-Z0-9 #]{1,64}-----/.test(head);
}

export function parsePem(bytes: Buffer): PemBlock[] {
  const text = bytes.toString('latin1');
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;

  for (let match = BEGIN.exec(text); match; match = BEGIN.exec(text)) {
    if (blocks.length >= MAX_BLOCKS) {
      throw new MazeVaultError('UNSUPPORTED', `The file holds more than ${MAX_BLOCKS} PEM blocks.`);
    }
    const label = match[1]!;
    const bodyStart = match.index + match[0].length;
    const endMarker = `-----END ${label}-----`;
    // RFC 7468 §2: the first END line closes the block, and its label must be the BEGIN label.
    END.lastIndex = bodyStart;
    const firstEnd = END.exec(text);
    if (!firstEnd) {
      throw new MazeVaultError(
        'TRUNCATED',
        `The PEM block "${label}" that starts at byte ${match.index} has no END line: the ` +
          'file was probably cut short. Get a complete copy.',
      );
    }
    if (firstEnd[1] !== label) {
      throw new MazeVaultError(
        'MALFORMED',
        `The PEM block that starts at byte ${match.index} with "BEGIN ${label}" ends at byte ` +
          `${firstEnd.index} with "END ${firstEnd[1]}": the END label does not match the BEGIN ` +
          'label, so the file was probably pasted together from two blocks. Fix the END line or ' +
          'get a clean copy.',
      );
    }
    const end = firstEnd.index;
    const { headers, base64, base64Offset } = splitHeaders(text.slice(bodyStart, end));
    blocks.push({
      label,
      headers,
      der: decodeBase64(base64, label, bodyStart + base64Offset),
      offset: match.index,
    });
    BEGIN.lastIndex = end + endMarker.length;
  }
  return blocks;
}

function splitHeaders(body: string): {
  headers: Record<string, string>;
  base64: string;
  base64Offset: number;
} {
  const lines = body.split(/\r\n|\r|\n/);
  const headers: Record<string, string> = {};
  let index = 0;
  while (index < lines.length && lines[index]!.trim() === '') index++;

  // RFC 1421 §4.6: header fields, then an empty line, then the base64 text.
  if (index < lines.length && /^[A-Za-z-]+:/.test(lines[index]!)) {
    while (index < lines.length && lines[index]!.trim() !== '') {
      const line = lines[index]!;
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      index++;
    }
  }
  const skipped = lines.slice(0, index).join('\n').length;
  return { headers, base64: lines.slice(index).join(''), base64Offset: skipped };
}

function decodeBase64(text: string, label: string, offset: number): Buffer {
  const compact = text.replace(/[ \t]/g, '');
  const bad = compact.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) {
    throw new MazeVaultError(
      'MALFORMED',
      `The PEM block "${label}" has a character that is not base64 near byte ${offset + bad}.`,
    );
  }
  if (/=[^=]/.test(compact) || compact.length % 4 === 1) {
    throw new MazeVaultError(
      'MALFORMED',
      `The PEM block "${label}" near byte ${offset} is not valid base64 (padding or length).`,
    );
  }
  return Buffer.from(compact, 'base64');
}
