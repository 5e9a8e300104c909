// The ceremony transcript: a printable record of a root CA ceremony (or any issuance), built from
// the inventory and the audit trail, and itself recorded in the audit trail.
import type { KeyRecord } from '../../keys/records';
import type { HandlerGroup } from '../handler';
import { toKeyDto } from '../views/key-view';
import { ceremonyTitle, renderTranscript } from '../views/transcript-view';
import { certificateDetailOf } from './certificates';

/** More events than any ceremony makes; a transcript is read by people. */
const TRANSCRIPT_EVENT_LIMIT = 10_000;

function fileNameOf(title: string, name: string, time: string): string {
  const slug = `${title}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug}-${time.slice(0, 10)}.md`;
}

/** The witnesses sign where the key is: for an HSM, the token by serial and the key by CKA_ID. */
function keyStoreText(record: KeyRecord): string {
  const ref = record.providerRef as Record<string, unknown>;
  if (record.provider === 'pkcs11' && typeof ref.tokenSerial === 'string') {
    const id = typeof ref.ckaId === 'string' ? `, CKA_ID ${ref.ckaId}` : '';
    const profile = typeof ref.profile === 'string' ? ` (profile ${ref.profile})` : '';
    return `PKCS#11 token serial ${ref.tokenSerial}${profile}${id}`;
  }
  if (record.provider === 'software') return 'MazeVault vault (sealed with AES-256-GCM)';
  return record.provider;
}

export const ceremonyHandlers: HandlerGroup<'ceremony:transcript'> = {
  'ceremony:transcript': ({ certId, witnesses, notes }, { app }) => {
    const services = app.unlockedServices();
    const { vault } = services;
    const certificate = certificateDetailOf(services, certId);
    const record = certificate.keyId ? services.keys.get(certificate.keyId) : undefined;
    const key = record ? toKeyDto(record) : null;

    const subjects = [certId, ...(key ? [key.id] : [])];
    const events = vault.audit.listBySubjects(subjects, TRANSCRIPT_EVENT_LIMIT).reverse();
    const verification = vault.audit.verify();
    const transcriptEvent = vault.audit.append({
      actor: vault.actor,
      action: 'ceremony.transcript',
      subject: certId,
      outcome: 'success',
      details: { witnesses, sha256: certificate.fingerprints.sha256 },
    });

    const title = ceremonyTitle(certificate);
    const markdown = renderTranscript({
      vaultPath: vault.path,
      preparedBy: vault.actor,
      preparedAt: transcriptEvent.time,
      witnesses,
      ...(notes ? { notes } : {}),
      certificate,
      key,
      ...(record ? { keyStore: keyStoreText(record) } : {}),
      events,
      verification,
      transcriptEvent,
    });
    return {
      title: `${title}: ${certificate.displayName}`,
      markdown,
      fileName: fileNameOf(title, certificate.displayName, transcriptEvent.time),
    };
  },
};
