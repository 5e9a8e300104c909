// The end-entity page's template choice: picking a template fills the form with its profile,
// subject defaults, SANs, validity and key algorithm, which the officer may still change.
import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import { useState } from 'react';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { SubjectFields } from '../../format/distinguishedName';
import { useAction } from '../../hooks/useAction';
import { routeHref } from '../../navigation/routes';
import { TemplateSelect } from './TemplateSelect';
import {
  attributesWithoutField,
  subjectFieldsFrom,
  validityDays,
  type TemplateProfile,
} from './templateText';

export interface TemplatePrefillValues {
  profile: TemplateProfile;
  subject: Partial<SubjectFields>;
  sans: string;
  days: string;
  algorithm: KeyAlgorithm;
  /** The template's CRL distribution point; undefined when it leaves it to the CA. */
  crlDistributionPoint: string | undefined;
}

export function TemplatePrefill(props: {
  onApply: (values: TemplatePrefillValues) => void;
  /** "None" chosen: what the form cannot show (the CRL distribution point) is dropped. */
  onNone: () => void;
  /** The CSR source is chosen: point to the flow where the officer picks the winners. */
  forCsr: boolean;
  disabled?: boolean;
}) {
  const [name, setName] = useState('');
  const [notCarried, setNotCarried] = useState<string[]>([]);
  const [crl, setCrl] = useState<string>();
  const apply = useAction(async (chosen: string) => {
    setName(chosen);
    setNotCarried([]);
    setCrl(undefined);
    if (!chosen) {
      props.onNone();
      return;
    }
    const template = await call('templates:get', { template: chosen });
    setNotCarried(attributesWithoutField(template.subjectDefaults));
    setCrl(template.crlDistributionPoint ?? undefined);
    props.onApply({
      profile: template.profile,
      subject: subjectFieldsFrom(template.subjectDefaults),
      sans: template.sans.join('\n'),
      days: String(validityDays(template.validity)),
      algorithm: template.keyAlgorithm,
      crlDistributionPoint: template.crlDistributionPoint ?? undefined,
    });
  });

  return (
    <>
      <TemplateSelect
        value={name}
        onChange={(chosen) => void apply.run(chosen)}
        disabled={props.disabled || apply.pending}
        optional
      />
      <ErrorAlert error={apply.error} onClose={apply.clearError} />
      {crl && (
        <Alert severity="info" sx={{ mb: 2 }}>
          The certificate names the template&apos;s CRL distribution point, {crl}.
        </Alert>
      )}
      {notCarried.length > 0 && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          This form has no field for {notCarried.join(', ')} of the template&apos;s subject
          defaults; use Issue on the{' '}
          <Link href={routeHref({ page: 'templates' })}>Issuance templates</Link> page to keep them.
        </Alert>
      )}
      {props.forCsr && (
        <Alert severity="info" sx={{ mb: 2 }}>
          To let the template or the CSR win per field and edit the SANs before signing, use{' '}
          <Link href={routeHref({ page: 'sign-csr', ...(name ? { template: name } : {}) })}>
            Sign a CSR with a template
          </Link>
          .
        </Alert>
      )}
    </>
  );
}
