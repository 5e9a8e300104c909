// Issues one certificate from a template: a new key in the vault, the subject given as a common
// name or a full DN (the template's defaults fill the rest), and SANs added to the template's.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import type { TemplateDto } from '../../../shared/bridge/lifecycle-dto';
import type { IssuedCertificate } from '../../../shared/contract';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IssuerSelect } from '../../components/IssuerSelect';
import { WorkProgress } from '../../components/WorkProgress';
import { parseSubjectAltNames } from '../../format/subjectAltNames';
import { useAction } from '../../hooks/useAction';
import { routeHref } from '../../navigation/routes';
import { validityText } from './templateText';

export function IssueFromTemplateDialog(props: { template: TemplateDto; onClose: () => void }) {
  const [issuerId, setIssuerId] = useState('');
  const [subject, setSubject] = useState('');
  const [sans, setSans] = useState('');
  const [issued, setIssued] = useState<IssuedCertificate>();

  const issue = useAction(async () => {
    setIssued(
      await call('templates:issue', {
        template: props.template.id,
        issuerId,
        subject: subject.trim(),
        subjectAltNames: parseSubjectAltNames(sans),
      }),
    );
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (issuerId && subject.trim()) void issue.run();
  };
  const title = `Issue from ${props.template.name}`;

  return (
    <Dialog
      open
      onClose={issue.pending ? undefined : props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="issue-template-title"
    >
      <DialogTitle id="issue-template-title">{title}</DialogTitle>
      <form onSubmit={submit} noValidate aria-label={title}>
        <DialogContent>
          {issued ? (
            <Alert severity="success" role="status">
              Issued{' '}
              <Link href={routeHref({ page: 'certificate', id: issued.certificate.id })}>
                {issued.certificate.displayName}
              </Link>{' '}
              ({issued.certificate.subject}), with a new key in this vault.
            </Alert>
          ) : (
            <>
              <IssuerSelect value={issuerId} onChange={setIssuerId} disabled={issue.pending} />
              <TextField
                label="Subject or common name"
                value={subject}
                onChange={(event) => setSubject(event.target.value)}
                required
                autoFocus
                disabled={issue.pending}
                helperText={`e.g. device-042, or CN=device-042,L=Berlin. The template adds ${
                  props.template.subjectDefaults ?? 'no defaults'
                }; valid ${validityText(props.template.validity)}.`}
              />
              <TextField
                label="Additional SANs"
                value={sans}
                onChange={(event) => setSans(event.target.value)}
                multiline
                minRows={2}
                disabled={issue.pending}
                helperText={`Added to the template's (${
                  props.template.sans.join(', ') || 'none'
                }). One per line.`}
                slotProps={{ htmlInput: { spellCheck: false } }}
              />
            </>
          )}
          <ErrorAlert error={issue.error} onClose={issue.clearError} />
          <WorkProgress active={issue.pending} channel="templates:issue" label="Issuing" />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={issue.pending}>
            {issued ? 'Close' : 'Cancel'}
          </Button>
          {!issued && (
            <Button
              type="submit"
              variant="contained"
              disabled={!issuerId || !subject.trim() || issue.pending}
            >
              Issue certificate
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
