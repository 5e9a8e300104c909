// The issuance templates kept in the vault: the list, a form to create or edit one, delete after
// confirmation, and the ways to issue with a template (one subject, a CSR, a CSV batch).
import AddIcon from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { TemplateDto } from '../../../shared/bridge/lifecycle-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ALGORITHM_LABELS } from '../../format/labels';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';
import { IssueFromTemplateDialog } from './IssueFromTemplateDialog';
import { TemplateForm } from './TemplateForm';
import { fieldsOf, PROFILE_LABELS, validityText, type TemplateFields } from './templateText';

type Editing = { kind: 'new' } | { kind: 'edit'; fields: TemplateFields } | undefined;

function DeleteDialog(props: { template: TemplateDto; onClose: (deleted: boolean) => void }) {
  const remove = useAction(async () => {
    await call('templates:remove', { template: props.template.id, confirmed: true });
    props.onClose(true);
  });
  return (
    <Dialog open onClose={() => props.onClose(false)} aria-labelledby="delete-template-title">
      <DialogTitle id="delete-template-title">Delete template {props.template.name}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The template leaves the vault; certificates issued with it stay as they are. The deletion
          is audited.
        </DialogContentText>
        <ErrorAlert error={remove.error} onClose={remove.clearError} />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => props.onClose(false)} disabled={remove.pending}>
          Keep it
        </Button>
        <Button
          color="error"
          variant="contained"
          onClick={() => void remove.run()}
          disabled={remove.pending}
        >
          Delete template
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function TemplatesPage() {
  const templates = useLoad(() => call('templates:list'), []);
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<TemplateDto>();
  const [issuing, setIssuing] = useState<TemplateDto>();
  const [notice, setNotice] = useState<string>();

  const edit = useAction(async (template: TemplateDto) => {
    // The list leaves out the CSR precedence; the whole template comes from templates:get.
    const whole = await call('templates:get', { template: template.id });
    setNotice(undefined);
    setEditing({ kind: 'edit', fields: fieldsOf(whole) });
  });

  const list = templates.value?.templates ?? [];
  return (
    <>
      <PageHeader
        title="Issuance templates"
        subtitle="Named ways to issue: profile, subject defaults, SANs, key and validity."
        actions={
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => {
              setNotice(undefined);
              setEditing({ kind: 'new' });
            }}
            disabled={editing !== undefined}
          >
            New template
          </Button>
        }
      />
      {editing && (
        <TemplateForm
          key={editing.kind === 'edit' ? editing.fields.name : 'new'}
          {...(editing.kind === 'edit' ? { initial: editing.fields } : {})}
          onCancel={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            setNotice(`Saved template ${saved.name}.`);
            templates.reload();
          }}
        />
      )}
      {notice && (
        <Alert severity="success" sx={{ mb: 2 }} onClose={() => setNotice(undefined)}>
          {notice}
        </Alert>
      )}
      <ErrorAlert error={templates.error ?? edit.error} onClose={edit.clearError} />
      <Paper sx={{ p: 2 }}>
        {templates.loading && !templates.value ? (
          <Loading loading error={undefined} />
        ) : list.length === 0 ? (
          <Typography color="text.secondary">
            No templates yet. Create one to issue the same kind of certificate the same way.
          </Typography>
        ) : (
          <Table size="small" aria-label="Templates">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Profile</TableCell>
                <TableCell>Subject defaults</TableCell>
                <TableCell>SANs</TableCell>
                <TableCell>Key</TableCell>
                <TableCell>Validity</TableCell>
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.map((template) => (
                <TableRow key={template.id}>
                  <TableCell>{template.name}</TableCell>
                  <TableCell>{PROFILE_LABELS[template.profile]}</TableCell>
                  <TableCell>{template.subjectDefaults ?? '—'}</TableCell>
                  <TableCell>{template.sans.join(', ') || '—'}</TableCell>
                  <TableCell>
                    {ALGORITHM_LABELS[template.keyAlgorithm]}, {template.keyPolicy}
                  </TableCell>
                  <TableCell>{validityText(template.validity)}</TableCell>
                  <TableCell>
                    <Stack
                      direction="row"
                      spacing={1}
                      useFlexGap
                      sx={{ alignItems: 'center', flexWrap: 'wrap' }}
                    >
                      <Button
                        size="small"
                        variant="outlined"
                        onClick={() => setIssuing(template)}
                        aria-label={`Issue from ${template.name}`}
                      >
                        Issue
                      </Button>
                      <Button
                        size="small"
                        onClick={() => void edit.run(template)}
                        disabled={editing !== undefined || edit.pending}
                        aria-label={`Edit ${template.name}`}
                      >
                        Edit
                      </Button>
                      <Button
                        size="small"
                        color="error"
                        onClick={() => setDeleting(template)}
                        aria-label={`Delete ${template.name}`}
                      >
                        Delete
                      </Button>
                      <Link
                        href={routeHref({ page: 'sign-csr', template: template.name })}
                        aria-label={`Sign a CSR with ${template.name}`}
                        sx={{ whiteSpace: 'nowrap' }}
                      >
                        Sign a CSR
                      </Link>
                      <Link
                        href={routeHref({ page: 'batch', template: template.name })}
                        aria-label={`Batch with ${template.name}`}
                      >
                        Batch
                      </Link>
                    </Stack>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Paper>
      {issuing && (
        <IssueFromTemplateDialog template={issuing} onClose={() => setIssuing(undefined)} />
      )}
      {deleting && (
        <DeleteDialog
          template={deleting}
          onClose={(deleted) => {
            if (deleted) {
              setNotice(`Deleted template ${deleting.name}.`);
              templates.reload();
            }
            setDeleting(undefined);
          }}
        />
      )}
    </>
  );
}
