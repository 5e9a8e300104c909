// The validator: RFC 5280 path validation of a vault certificate or a file, at a chosen time and
// for a chosen purpose, with the vault's own and officer-trusted CAs as anchors, its other CAs as
// intermediates, and its revocation records and CRLs.
import { MazeVaultError } from '../../../shared/errors';
import { decode } from '../../formats/decode';
import { validateWithVault } from '../../pki/validate/vault-trust';
import type { HandlerGroup } from '../handler';
import { readSource } from './formats-files';

/** The certificates of a file, the one to validate first: a key's chain, then loose ones. */
async function certificatesOf(name: string, bytes: Buffer): Promise<Buffer[]> {
  const bundle = await decode(bytes);
  for (const key of bundle.privateKeys) key.pkcs8.fill(0);
  const ders = [
    ...bundle.privateKeys.flatMap((key) => key.chain ?? []),
    ...bundle.certificates.map((cert) => cert.der),
  ];
  if (ders.length === 0) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${name} holds no certificate to validate; choose a certificate file.`,
    );
  }
  return ders;
}

export const validateHandlers: HandlerGroup<'validate:certificate'> = {
  'validate:certificate': async (request, { app }) => {
    const services = app.unlockedServices();
    const { source } = request;
    let leaf: Buffer;
    let carried: Buffer[] = [];
    if (source.kind === 'vault') {
      leaf = services.certificates.der(source.id);
    } else {
      const file = await readSource(source);
      [leaf, ...carried] = (await certificatesOf(file.name, file.bytes)) as [Buffer, ...Buffer[]];
    }

    const at = request.at ? new Date(request.at) : new Date();
    const { result, trust } = validateWithVault(services, {
      leaf,
      carried,
      at,
      purpose: request.purpose,
    });
    const failed = result.checks.findIndex((check) => !check.ok);
    return {
      valid: result.valid,
      at: at.toISOString(),
      purpose: request.purpose,
      chain: result.chain.map((cert) => ({ subject: cert.subject, sha256: cert.sha256 })),
      checks: result.checks.map((check) => ({
        check: check.check,
        certificate: check.certificate,
        ok: check.ok,
        status: check.status,
        detail: check.detail,
      })),
      anchor: result.anchor ?? null,
      warnings: result.warnings,
      firstFailure: result.valid ? null : (result.firstFailure ?? 'A check failed.'),
      firstFailureIndex: failed >= 0 ? failed : null,
      used: {
        anchors: trust.anchors.length,
        intermediates: trust.intermediates.length,
        crls: trust.crls.length,
      },
    };
  },
};
