// An ASN.1 tree for the inspector's raw view: every element with its tag, offset and length, and
// a short preview of primitive values. Bounded in nodes so a huge CRL does not freeze the window.
import {
  type Asn1Node,
  TAG,
  children,
  content,
  describeTag,
  is,
  readNode,
  readOid,
} from '../../formats/decode-asn1';
import { decodeString } from './names';
import { readTime } from './time';

export interface Asn1TreeNode {
  tag: string;
  tagClass: Asn1Node['tagClass'];
  tagNumber: number;
  constructed: boolean;
  offset: number;
  headerLength: number;
  length: number;
  indefinite?: boolean;
  preview?: string;
  children?: Asn1TreeNode[];
  /** Set on the node where the walk stopped because of the node bound or a decoding error. */
  truncated?: string;
}

export const MAX_TREE_NODES = 20_000;
const PREVIEW_BYTES = 32;

export function asn1Tree(der: Buffer, maxNodes = MAX_TREE_NODES): Asn1TreeNode {
  const budget = { left: maxNodes };
  return walk(readNode(der), budget);
}

function walk(node: Asn1Node, budget: { left: number }): Asn1TreeNode {
  budget.left--;
  const out: Asn1TreeNode = {
    tag: describeTag(node),
    tagClass: node.tagClass,
    tagNumber: node.tagNumber,
    constructed: node.constructed,
    offset: node.offset,
    headerLength: node.headerLength,
    length: node.length,
  };
  if (node.indefinite) out.indefinite = true;
  if (!node.constructed) {
    out.preview = preview(node);
    return out;
  }
  out.children = [];
  try {
    for (const child of children(node)) {
      if (budget.left <= 0) {
        out.truncated = `more than ${MAX_TREE_NODES} elements; the rest is not shown`;
        break;
      }
      out.children.push(walk(child, budget));
    }
  } catch {
    out.truncated = 'the content could not be read further';
  }
  return out;
}

function preview(node: Asn1Node): string {
  const bytes = content(node);
  try {
    if (is(node, TAG.OID)) return readOid(node);
    if (is(node, TAG.BOOLEAN)) return bytes[0] ? 'TRUE' : 'FALSE';
    if (is(node, TAG.NULL)) return '';
    if (is(node, TAG.UTC_TIME) || is(node, TAG.GENERALIZED_TIME)) return readTime(node).raw;
    const text = decodeString(node);
    if (text) return text.value.slice(0, 64);
  } catch {
    // fall through to hex
  }
  const hex = bytes.subarray(0, PREVIEW_BYTES).toString('hex');
  return bytes.length > PREVIEW_BYTES ? `${hex}… (${bytes.length} bytes)` : hex;
}
