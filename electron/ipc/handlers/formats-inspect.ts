// The inspector: everything in a file (or a vault certificate) read without importing it, as the
// window shows it. Private keys in the file are described, never sent.
import type { Bundle } from '../../formats/bundle';
import { decode, type DecodeSecrets } from '../../formats/decode';
import { asn1Tree, inspectCertificate, inspectFile } from '../../pki/inspect';
import type { HandlerGroup } from '../handler';
import {
  asn1View,
  certificateView,
  fileInspectionView,
  type ObjectTrees,
} from '../views/inspection-view';
import { readSource, secretsOf } from './formats-files';

function treeOf(der: Buffer) {
  try {
    return asn1View(asn1Tree(der));
  } catch {
    // The fields say what is wrong with the object; without a tree the window shows no tree.
    return null;
  }
}

/** The DER of every object the inspection lists, decoded once more for the ASN.1 trees. */
async function treesOf(bytes: Buffer, secrets: DecodeSecrets): Promise<ObjectTrees> {
  let bundle: Bundle;
  try {
    bundle = await decode(bytes, secrets);
  } catch {
    return { certificates: [], crls: [], csrs: [] };
  }
  for (const key of bundle.privateKeys) key.pkcs8.fill(0);
  return {
    certificates: bundle.certificates.map((cert) => treeOf(cert.der)),
    crls: bundle.crls.map(treeOf),
    csrs: bundle.csrs.map(treeOf),
  };
}

export const inspectHandlers: HandlerGroup<'inspect:file'> = {
  'inspect:file': async (request, { app, progress }) => {
    const { source } = request;
    if (source.kind === 'vault-certificate') {
      const services = app.unlockedServices();
      const record = services.certificates.get(source.id);
      const der = services.certificates.der(source.id);
      return {
        name: record.subject,
        format: 'der-certificate' as const,
        objects: [certificateView(inspectCertificate(der), treeOf(der))],
        privateKeys: [],
        publicKeys: [],
        warnings: [],
      };
    }

    const file = await readSource(source);
    const secrets = secretsOf(request);
    progress(`Reading ${file.name}`);
    const inspection = await inspectFile(file.bytes, secrets);
    const trees = inspection.error
      ? { certificates: [], crls: [], csrs: [] }
      : await treesOf(file.bytes, secrets);
    return fileInspectionView(file.name, inspection, trees);
  },
};
