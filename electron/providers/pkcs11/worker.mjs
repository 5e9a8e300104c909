// The PKCS#11 thread: the only place pkcs11js and the vendor module are loaded. Every message is
// one atomic token operation, run synchronously here so a slow or hung HSM blocks this thread,
// never the main one (the caller times each call out). Plain ESM JavaScript on purpose: it runs
// unchanged under vitest, tsx and an esbuild/Electron bundle, with no TypeScript loader.
//
// Message in:  { id, op, args }          Message out: { id, ok: true, value } | { id, ok: false, error }
// PINs arrive in `args` and are never echoed, logged or kept after the call returns.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** @type {import('pkcs11js')} */
let pkcs11js;
/** @type {import('pkcs11js').PKCS11 | undefined} */
let library;

const SIGNATURE_BUFFER = 2048;

/** Structured clone turns Buffers into Uint8Arrays; pkcs11js wants Buffers back. */
function toBuffers(value) {
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) return value.map(toBuffers);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [key, inner] of Object.entries(value)) out[key] = toBuffers(inner);
    return out;
  }
  return value;
}

function requireModule() {
  if (!library) {
    const error = new Error('CKR_CRYPTOKI_NOT_INITIALIZED');
    error.code = 0x190;
    throw error;
  }
  return library;
}

/** Mechanism parameters arrive tagged by kind; only this thread knows pkcs11js's param types. */
function mechanismOf(mechanism) {
  if (!mechanism.parameter) return { mechanism: mechanism.mechanism };
  const p = mechanism.parameter;
  if (p.kind === 'rsa-pss') {
    return {
      mechanism: mechanism.mechanism,
      parameter: {
        type: pkcs11js.CK_PARAMS_RSA_PSS,
        hashAlg: p.hashAlg,
        mgf: p.mgf,
        saltLen: p.saltLen,
      },
    };
  }
  throw new Error(`unknown mechanism parameter kind ${p.kind}`);
}

function findAll(session, template, max = 10_000) {
  const p11 = requireModule();
  p11.C_FindObjectsInit(session, template);
  try {
    const found = [];
    for (;;) {
      const batch = p11.C_FindObjects(session, 64);
      found.push(...batch);
      if (batch.length < 64 || found.length >= max) return found;
    }
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

/**
 * Reads attributes one by one: a token answers CKR_ATTRIBUTE_SENSITIVE or _TYPE_INVALID for
 * attributes it protects or lacks, and one such answer must not hide the others.
 */
function readAttributes(session, object, types) {
  const p11 = requireModule();
  const out = {};
  for (const type of types) {
    try {
      const [attribute] = p11.C_GetAttributeValue(session, object, [{ type }]);
      out[type] = attribute.value;
    } catch (error) {
      const code = error && error.code;
      // 0x11 CKR_ATTRIBUTE_SENSITIVE, 0x12 CKR_ATTRIBUTE_TYPE_INVALID
      if (code !== 0x11 && code !== 0x12) throw error;
    }
  }
  return out;
}

const operations = {
  load(modulePath) {
    pkcs11js = require('pkcs11js');
    const p11 = new pkcs11js.PKCS11();
    p11.load(modulePath);
    try {
      p11.C_Initialize();
    } catch (error) {
      // 0x191 CKR_CRYPTOKI_ALREADY_INITIALIZED: a previous thread of this process (timed out,
      // terminated) initialised the library; the library is process-wide, so carry on with it.
      if (!error || error.code !== 0x191) throw error;
    }
    library = p11;
    return p11.C_GetInfo();
  },
  reinitialize() {
    const p11 = requireModule();
    try {
      p11.C_Finalize();
    } catch {
      // A module that lost its device may refuse to finalise; initialising again is what counts.
    }
    try {
      p11.C_Initialize();
    } catch (error) {
      if (!error || error.code !== 0x191) throw error;
    }
    return true;
  },
  finalize() {
    if (!library) return true;
    try {
      library.C_Finalize();
    } finally {
      library.close();
      library = undefined;
    }
    return true;
  },
  call(method, args) {
    const p11 = requireModule();
    if (
      typeof method !== 'string' ||
      !method.startsWith('C_') ||
      typeof p11[method] !== 'function'
    ) {
      throw new Error(`unknown PKCS#11 function ${method}`);
    }
    return p11[method](...args);
  },
  mechanisms(slot) {
    const p11 = requireModule();
    return p11.C_GetMechanismList(slot).map((type) => {
      try {
        return { type, ...p11.C_GetMechanismInfo(slot, type) };
      } catch {
        return { type, minKeySize: 0, maxKeySize: 0, flags: 0 };
      }
    });
  },
  login(session, userType, pin) {
    requireModule().C_Login(session, userType, pin);
    return true;
  },
  initToken(slot, soPin, label, userPin) {
    const p11 = requireModule();
    p11.C_InitToken(slot, soPin, label);
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      p11.C_Login(session, pkcs11js.CKU_SO, soPin);
      p11.C_InitPIN(session, userPin);
      p11.C_Logout(session);
    } finally {
      p11.C_CloseSession(session);
    }
    return true;
  },
  find(session, template, max) {
    return findAll(session, template, max);
  },
  attributes(session, object, types) {
    return readAttributes(session, object, types);
  },
  generateKeyPair(session, mechanism, publicTemplate, privateTemplate) {
    return requireModule().C_GenerateKeyPair(
      session,
      mechanismOf(mechanism),
      publicTemplate,
      privateTemplate,
    );
  },
  /** SignInit, the context-specific login when the key demands it (PKCS#11 v2.40 §4.9), Sign. */
  sign(session, mechanism, key, data, contextPin) {
    const p11 = requireModule();
    p11.C_SignInit(session, mechanismOf(mechanism), key);
    if (contextPin !== undefined && contextPin !== null) {
      p11.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, contextPin);
    }
    return p11.C_Sign(session, data, Buffer.alloc(SIGNATURE_BUFFER));
  },
  createObject(session, template) {
    return requireModule().C_CreateObject(session, template);
  },
};

function describe(error) {
  const message = error instanceof Error ? error.message : String(error);
  const ckr = /^CKR_[A-Z0-9_]+/.exec(message);
  return {
    ckr: ckr ? ckr[0] : undefined,
    code: typeof error?.code === 'number' ? error.code : undefined,
    method: typeof error?.method === 'string' ? error.method : undefined,
    // Library messages only name the failing function and return value; no argument is echoed.
    message: message.split('\n')[0].slice(0, 300),
  };
}

parentPort.on('message', (message) => {
  const { id, op, args } = message;
  try {
    const operation = operations[op];
    if (!operation) throw new Error(`unknown operation ${op}`);
    const value = operation(...toBuffers(args ?? []));
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: describe(error) });
  }
});
