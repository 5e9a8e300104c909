// Steps over one object written by java.io.ObjectOutputStream without running or keeping it. A
// JCEKS secret key entry is such an object (a SealedObject) and the store does not record its
// length, so the only way to find the next entry is to walk the serialization grammar (Java Object
// Serialization Specification §6.4). Nothing is instantiated: class names and field values are
// read only to know how many bytes they take.
import { MazeVaultError } from '../../shared/errors';

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const BASE_HANDLE = 0x7e0000;
const MAX_DEPTH = 64;

const TC = {
  NULL: 0x70,
  REFERENCE: 0x71,
  CLASSDESC: 0x72,
  OBJECT: 0x73,
  STRING: 0x74,
  ARRAY: 0x75,
  CLASS: 0x76,
  BLOCKDATA: 0x77,
  ENDBLOCKDATA: 0x78,
  RESET: 0x79,
  BLOCKDATALONG: 0x7a,
  EXCEPTION: 0x7b,
  LONGSTRING: 0x7c,
  PROXYCLASSDESC: 0x7d,
  ENUM: 0x7e,
} as const;

const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const SC_EXTERNALIZABLE = 0x04;
const SC_BLOCK_DATA = 0x08;

/** Bytes each primitive field type code takes (§6.4.2). */
const PRIMITIVE_SIZES: Readonly<Record<string, number>> = {
  B: 1,
  C: 2,
  D: 8,
  F: 4,
  I: 4,
  J: 8,
  S: 2,
  Z: 1,
};

interface ClassDesc {
  name: string;
  flags: number;
  /** Type codes of the fields in stream order: a primitive letter, or '[' / 'L' for objects. */
  fields: string[];
  superClass: ClassDesc | null;
}

type Handle = ClassDesc | 'value';

class SerializationWalker {
  private offset: number;
  private handles: Handle[] = [];

  constructor(
    private readonly bytes: Buffer,
    start: number,
    private readonly end: number,
    private readonly what: string,
  ) {
    this.offset = start;
  }

  /** The offset just after the stream header and its first object. */
  skipStream(): number {
    if (this.u16() !== STREAM_MAGIC || this.u16() !== STREAM_VERSION) {
      throw this.malformed('it does not start with the Java serialization header');
    }
    this.content(0);
    return this.offset;
  }

  private malformed(why: string): MazeVaultError {
    return new MazeVaultError(
      'MALFORMED',
      `${this.what} is not a valid serialized Java object: ${why} (at byte ${this.offset}). ` +
        'The key store is damaged; get an intact copy.',
    );
  }

  private need(count: number): void {
    if (count < 0 || this.offset + count > this.end) {
      throw new MazeVaultError(
        'TRUNCATED',
        `${this.what} ends too early: ${count} bytes were expected at byte ${this.offset}. ` +
          'The key store was probably cut short while copying; get a complete copy.',
      );
    }
  }

  private skip(count: number): void {
    this.need(count);
    this.offset += count;
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }

  private u16(): number {
    this.need(2);
    const value = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  private u32(): number {
    this.need(4);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  private utf(): string {
    const length = this.u16();
    this.need(length);
    const text = this.bytes.toString('latin1', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }

  private newHandle(value: Handle): void {
    this.handles.push(value);
  }

  private reference(): Handle {
    const index = this.u32() - BASE_HANDLE;
    const value = this.handles[index];
    if (value === undefined) throw this.malformed(`a back reference points at nothing`);
    return value;
  }

  private content(depth: number): void {
    if (depth > MAX_DEPTH) throw this.malformed('objects nest too deeply');
    const code = this.u8();
    switch (code) {
      case TC.NULL:
        return;
      case TC.REFERENCE:
        this.reference();
        return;
      case TC.CLASSDESC:
      case TC.PROXYCLASSDESC:
        this.offset -= 1;
        this.classDesc(depth);
        return;
      case TC.OBJECT:
        this.newObject(depth);
        return;
      case TC.STRING:
        this.newHandle('value');
        this.skip(this.u16());
        return;
      case TC.LONGSTRING: {
        this.newHandle('value');
        const high = this.u32();
        if (high !== 0) throw this.malformed('a string is longer than 4 GiB');
        this.skip(this.u32());
        return;
      }
      case TC.ARRAY:
        this.newArray(depth);
        return;
      case TC.CLASS:
        this.classDesc(depth);
        this.newHandle('value');
        return;
      case TC.ENUM:
        this.classDesc(depth);
        this.newHandle('value');
        this.content(depth + 1);
        return;
      case TC.BLOCKDATA:
        this.skip(this.u8());
        return;
      case TC.BLOCKDATALONG:
        this.skip(this.u32());
        return;
      case TC.RESET:
        this.handles = [];
        return;
      default:
        throw this.malformed(`type code 0x${code.toString(16)} is not expected here`);
    }
  }

  /** A class descriptor: new, a back reference, or null. */
  private classDesc(depth: number): ClassDesc | null {
    const code = this.u8();
    if (code === TC.NULL) return null;
    if (code === TC.REFERENCE) {
      const found = this.reference();
      if (found === 'value') throw this.malformed('a class reference points at a value');
      return found;
    }
    if (code === TC.PROXYCLASSDESC) {
      const desc: ClassDesc = {
        name: '(proxy)',
        flags: SC_SERIALIZABLE,
        fields: [],
        superClass: null,
      };
      this.newHandle(desc);
      const interfaces = this.u32();
      if (interfaces > this.end - this.offset) throw this.malformed('too many proxy interfaces');
      for (let i = 0; i < interfaces; i += 1) this.utf();
      this.annotation(depth);
      desc.superClass = this.classDesc(depth + 1);
      return desc;
    }
    if (code !== TC.CLASSDESC) {
      throw this.malformed(`a class descriptor was expected, not type code 0x${code.toString(16)}`);
    }
    const name = this.utf();
    this.skip(8); // serialVersionUID
    const desc: ClassDesc = { name, flags: 0, fields: [], superClass: null };
    this.newHandle(desc);
    desc.flags = this.u8();
    const count = this.u16();
    for (let i = 0; i < count; i += 1) {
      const type = String.fromCharCode(this.u8());
      this.utf(); // field name
      if (type === '[' || type === 'L') {
        this.content(depth + 1); // the field's class name, a String object
      } else if (PRIMITIVE_SIZES[type] === undefined) {
        throw this.malformed(`field type "${type}" is not a Java type code`);
      }
      desc.fields.push(type);
    }
    this.annotation(depth);
    desc.superClass = this.classDesc(depth + 1);
    return desc;
  }

  /** Contents up to and including TC_ENDBLOCKDATA. */
  private annotation(depth: number): void {
    for (;;) {
      this.need(1);
      if (this.bytes[this.offset] === TC.ENDBLOCKDATA) {
        this.offset += 1;
        return;
      }
      this.content(depth + 1);
    }
  }

  private newObject(depth: number): void {
    const desc = this.classDesc(depth + 1);
    if (!desc) throw this.malformed('an object has no class');
    this.newHandle('value');
    const chain: ClassDesc[] = [];
    for (let current: ClassDesc | null = desc; current; current = current.superClass) {
      chain.unshift(current);
      if (chain.length > MAX_DEPTH) throw this.malformed('the class hierarchy is too deep');
    }
    for (const cls of chain) {
      if (cls.flags & SC_EXTERNALIZABLE) {
        if (!(cls.flags & SC_BLOCK_DATA)) {
          throw this.malformed(`${cls.name} uses the old externalizable format`);
        }
        this.annotation(depth);
        continue;
      }
      if (!(cls.flags & SC_SERIALIZABLE)) continue;
      for (const type of cls.fields) this.value(type, depth);
      if (cls.flags & SC_WRITE_METHOD) this.annotation(depth);
    }
  }

  private newArray(depth: number): void {
    const desc = this.classDesc(depth + 1);
    if (!desc || !desc.name.startsWith('[')) throw this.malformed('an array has no array class');
    this.newHandle('value');
    const length = this.u32();
    const element = desc.name[1] ?? '';
    const size = PRIMITIVE_SIZES[element];
    if (size !== undefined) {
      this.skip(length * size);
      return;
    }
    if (length > this.end - this.offset) throw this.malformed('an array is longer than the file');
    for (let i = 0; i < length; i += 1) this.content(depth + 1);
  }

  private value(type: string, depth: number): void {
    const size = PRIMITIVE_SIZES[type];
    if (size !== undefined) this.skip(size);
    else this.content(depth + 1);
  }
}

/**
 * The offset just after the serialized Java object that starts at `start` (stream header
 * included), reading no further than `end`.
 */
export function endOfSerializedObject(
  bytes: Buffer,
  start: number,
  end: number,
  what: string,
): number {
  return new SerializationWalker(bytes, start, end, what).skipStream();
}
