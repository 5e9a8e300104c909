// Signs a CSR the way a template says: pick the CSR, see the plan (subject and SANs from the
// template and from the CSR), choose per field which side wins, edit the SANs, then sign.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type {
  CsrPlanDto,
  CsrPrecedenceDto,
  CsrSource,
  Precedence,
} from '../../../shared/bridge/issuance-dto';
import type { IssuedCertificate } from '../../../shared/contract';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IssuerSelect } from '../../components/IssuerSelect';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { parseSubjectAltNames } from '../../format/subjectAltNames';
import { useAction } from '../../hooks/useAction';
import { MONOSPACE } from '../../theme';
import { FileChooser } from '../formats/FileChooser';
import { IssuedResult } from '../issue/IssuedResult';
import { TemplateSelect } from './TemplateSelect';
import { PRECEDENCE_LABELS } from './templateText';

interface ChosenCsr {
  name: string;
  source: CsrSource;
}

function Winner(props: {
  field: string;
  value: Precedence;
  onChange: (value: Precedence) => void;
  disabled: boolean;
}) {
  return (
    <RadioGroup
      row
      aria-label={`${props.field}: which side wins`}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value as Precedence)}
    >
      {(['template', 'csr'] as const).map((side) => (
        <FormControlLabel
          key={side}
          value={side}
          control={<Radio size="small" />}
          label={PRECEDENCE_LABELS[side]}
          disabled={props.disabled}
        />
      ))}
    </RadioGroup>
  );
}

const code = (text: string) => <code style={{ fontFamily: MONOSPACE }}>{text || '—'}</code>;

export function SignCsrPage({ template: initialTemplate }: { template?: string }) {
  const [issuerId, setIssuerId] = useState('');
  const [template, setTemplate] = useState(initialTemplate ?? '');
  const [csr, setCsr] = useState<ChosenCsr>();
  const [pasted, setPasted] = useState('');
  const [plan, setPlan] = useState<CsrPlanDto>();
  /** The officer's choice per field; shown at once, while the plan is worked out again. */
  const [precedence, setPrecedence] = useState<CsrPrecedenceDto>();
  const [sans, setSans] = useState('');
  const [issued, setIssued] = useState<IssuedCertificate>();

  const loadPlan = useAction(
    async (source: ChosenCsr, templateName: string, precedence?: CsrPrecedenceDto) => {
      const next = await call('templates:plan-csr', {
        template: templateName,
        csr: source.source,
        ...(precedence ? { precedence } : {}),
      });
      setPlan(next);
      setPrecedence(next.precedence);
      setSans(next.sans.join('\n'));
      return true;
    },
  );

  const choose = (chosen: ChosenCsr) => {
    setCsr(chosen);
    setPlan(undefined);
    if (template) void loadPlan.run(chosen, template);
  };
  const chooseTemplate = (name: string) => {
    setTemplate(name);
    setPlan(undefined);
    if (csr && name) void loadPlan.run(csr, name);
  };
  const setWinner = (field: keyof CsrPrecedenceDto) => (side: Precedence) => {
    if (!precedence || !csr) return;
    const next = { ...precedence, [field]: side };
    setPrecedence(next);
    void loadPlan.run(csr, template, next).then((loaded) => {
      // The plan did not change: show the choice it stands on.
      if (!loaded) setPrecedence(plan?.precedence);
    });
  };

  const editedSans = parseSubjectAltNames(sans);
  const sansEdited = plan !== undefined && editedSans.join('\n') !== plan.sans.join('\n');
  const sign = useAction(async () => {
    if (!plan || !csr) return;
    setIssued(
      await call('templates:sign-csr', {
        template,
        issuerId,
        csr: csr.source,
        precedence: plan.precedence,
        ...(sansEdited ? { subjectAltNames: editedSans } : {}),
      }),
    );
  });
  const busy = loadPlan.pending || sign.pending;

  if (issued) {
    return (
      <>
        <PageHeader title="Sign a CSR with a template" />
        <IssuedResult
          issued={issued}
          onAnother={() => {
            setIssued(undefined);
            setCsr(undefined);
            setPlan(undefined);
            setPasted('');
          }}
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Sign a CSR with a template"
        subtitle="The template gives profile and validity; per field, the template or the CSR wins."
      />
      <Paper sx={{ p: 3, maxWidth: 960 }}>
        <IssuerSelect value={issuerId} onChange={setIssuerId} disabled={busy} />
        <TemplateSelect value={template} onChange={chooseTemplate} disabled={busy} />

        <Typography variant="h3" sx={{ mt: 1, mb: 1 }}>
          Certificate signing request
        </Typography>
        {csr ? (
          <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: 'center' }}>
            <Typography variant="body2">CSR:</Typography>
            <Chip label={csr.name} />
            <Button
              size="small"
              onClick={() => {
                setCsr(undefined);
                setPlan(undefined);
              }}
              disabled={busy}
            >
              Choose another CSR
            </Button>
          </Stack>
        ) : (
          <>
            <FileChooser
              purpose="import"
              multiple={false}
              disabled={busy}
              onChosen={([file]) => file && choose({ name: file.name, source: file.source })}
            />
            <TextField
              label="Or paste the CSR (PEM)"
              value={pasted}
              onChange={(event) => setPasted(event.target.value)}
              multiline
              minRows={4}
              disabled={busy}
              slotProps={{
                htmlInput: { spellCheck: false, style: { fontFamily: MONOSPACE, fontSize: 12 } },
              }}
            />
            <Button
              variant="outlined"
              disabled={busy || !pasted.includes('-----BEGIN CERTIFICATE REQUEST-----')}
              onClick={() => choose({ name: 'pasted CSR', source: { kind: 'pem', text: pasted } })}
            >
              Use pasted CSR
            </Button>
          </>
        )}
        <ErrorAlert error={loadPlan.error} onClose={loadPlan.clearError} />

        {plan && (
          <Box component="section" aria-label="Signing plan" sx={{ mt: 2 }}>
            <Typography variant="h3" sx={{ mb: 1 }}>
              The plan
            </Typography>
            <Table size="small" aria-label="Template and CSR">
              <TableHead>
                <TableRow>
                  <TableCell>Field</TableCell>
                  <TableCell>From the template</TableCell>
                  <TableCell>From the CSR</TableCell>
                  <TableCell>Winner</TableCell>
                  <TableCell>To be certified</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                <TableRow>
                  <TableCell>Subject</TableCell>
                  <TableCell>{code(plan.templateSubjectDefaults ?? '')}</TableCell>
                  <TableCell>{code(plan.csrSubject)}</TableCell>
                  <TableCell>
                    <Winner
                      field="Subject"
                      value={precedence?.subject ?? plan.precedence.subject}
                      onChange={setWinner('subject')}
                      disabled={busy}
                    />
                  </TableCell>
                  <TableCell aria-label="Subject to be certified">{code(plan.subject)}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>SANs</TableCell>
                  <TableCell>{code(plan.templateSans.join(', '))}</TableCell>
                  <TableCell>{code(plan.csrSans.join(', '))}</TableCell>
                  <TableCell>
                    <Winner
                      field="SANs"
                      value={precedence?.subjectAltName ?? plan.precedence.subjectAltName}
                      onChange={setWinner('subjectAltName')}
                      disabled={busy}
                    />
                  </TableCell>
                  <TableCell aria-label="SANs of the plan">{code(plan.sans.join(', '))}</TableCell>
                </TableRow>
              </TableBody>
            </Table>
            <TextField
              label="SANs to certify"
              value={sans}
              onChange={(event) => setSans(event.target.value)}
              multiline
              minRows={3}
              sx={{ mt: 2 }}
              disabled={busy}
              helperText={
                sansEdited
                  ? 'Edited: these replace the plan’s SANs.'
                  : 'The plan’s SANs; edit before signing. One per line: DNS:…, IP:…, email:…, URI:…'
              }
              slotProps={{ htmlInput: { spellCheck: false } }}
            />
          </Box>
        )}
        <ErrorAlert error={sign.error} onClose={sign.clearError} />
        <WorkProgress active={sign.pending} channel="templates:sign-csr" label="Signing" />
        <Button
          variant="contained"
          sx={{ mt: 2 }}
          disabled={!plan || !issuerId || busy}
          onClick={() => void sign.run()}
        >
          Sign CSR
        </Button>
      </Paper>
    </>
  );
}
