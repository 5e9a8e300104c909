// One token: its details and PIN warnings, login and logout, its mechanisms, the private keys on
// it (after login) with "add to inventory", and initialisation behind a confirmation dialog.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { MechanismDto, TokenDto, TokenKeyDto } from '../../../shared/bridge/tokens-dto';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import { call } from '../../client/client';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WorkProgress } from '../../components/WorkProgress';
import { ALGORITHM_LABELS } from '../../format/labels';
import { useAction } from '../../hooks/useAction';
import { routeHref } from '../../navigation/routes';
import { InitTokenDialog } from './InitTokenDialog';
import { TokenLogin } from './TokenLogin';
import { flagSummary, pinWarnings, tokenName } from './tokenText';

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function MechanismTable({ token, mechanisms }: { token: TokenDto; mechanisms: MechanismDto[] }) {
  return (
    <Box sx={{ maxHeight: 360, overflow: 'auto', mt: 1 }}>
      <Table size="small" stickyHeader aria-label={`Mechanisms of ${tokenName(token)}`}>
        <TableHead>
          <TableRow>
            <TableCell>Mechanism</TableCell>
            <TableCell>Key sizes</TableCell>
            <TableCell>Sign</TableCell>
            <TableCell>Verify</TableCell>
            <TableCell>Generate key pair</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {mechanisms.map((mechanism) => (
            <TableRow key={mechanism.type}>
              <TableCell sx={{ fontFamily: 'monospace' }}>{mechanism.name}</TableCell>
              <TableCell>
                {mechanism.minKeySize}–{mechanism.maxKeySize}
              </TableCell>
              <TableCell>{yesNo(mechanism.sign)}</TableCell>
              <TableCell>{yesNo(mechanism.verify)}</TableCell>
              <TableCell>{yesNo(mechanism.generateKeyPair)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function KeyTable({ token, keys }: { token: TokenDto; keys: TokenKeyDto[] }) {
  if (keys.length === 0) {
    return <Typography sx={{ mt: 1 }}>No private keys on this token.</Typography>;
  }
  return (
    <Table size="small" aria-label={`Keys on ${tokenName(token)}`} sx={{ mt: 1 }}>
      <TableHead>
        <TableRow>
          <TableCell>Label</TableCell>
          <TableCell>CKA_ID</TableCell>
          <TableCell>Algorithm</TableCell>
          <TableCell>Protection</TableCell>
          <TableCell>Certificates</TableCell>
          <TableCell>Inventory</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {keys.map((key) => (
          <TableRow key={`${key.ckaId}/${key.spkiSha256 ?? ''}`}>
            <TableCell>{key.label || '(no label)'}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
              {key.ckaId || '(empty)'}
            </TableCell>
            <TableCell>
              {key.algorithm ? ALGORITHM_LABELS[key.algorithm] : (key.unsupportedReason ?? '?')}
            </TableCell>
            <TableCell>
              {[
                key.sensitive ? 'sensitive' : 'NOT sensitive',
                key.neverExtractable
                  ? 'never extractable'
                  : key.extractable
                    ? 'EXTRACTABLE'
                    : 'not extractable',
                ...(key.alwaysAuthenticate ? ['PIN per signature'] : []),
              ].join(', ')}
            </TableCell>
            <TableCell>{key.certificates}</TableCell>
            <TableCell>
              {key.inventoryKeyId ? (
                <a href={routeHref({ page: 'key', id: key.inventoryKeyId })}>in the inventory</a>
              ) : (
                'not recorded'
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function TokenPanel(props: {
  profileId: string;
  token: TokenDto;
  pinHint?: string;
  /** Reload the slots (after login, logout, a wrong PIN or initialisation). */
  onChanged: () => void;
}) {
  const { profileId, token } = props;
  const [mechanisms, setMechanisms] = useState<{
    list: MechanismDto[];
    algorithms: KeyAlgorithm[];
  }>();
  const [keys, setKeys] = useState<TokenKeyDto[]>();
  const [added, setAdded] = useState<number>();
  const [initialising, setInitialising] = useState(false);
  const onToken = { profileId, tokenSerial: token.serial };
  const warnings = pinWarnings(token.flags);

  const loadMechanisms = useAction(async () => {
    const result = await call('tokens:mechanisms', onToken);
    setMechanisms({ list: result.mechanisms, algorithms: result.algorithms });
  });
  const loadKeys = useAction(async () => {
    setKeys((await call('tokens:objects', onToken)).keys);
  });
  const discover = useAction(async () => {
    const result = await call('tokens:discover-keys', onToken);
    setAdded(result.added.length);
    setKeys((await call('tokens:objects', onToken)).keys);
  });
  const logout = useAction(async (forget: boolean) => {
    await call('tokens:logout', { ...onToken, forget });
    setKeys(undefined);
    props.onChanged();
  });

  return (
    <Paper sx={{ p: 2, mb: 2 }} component="section" aria-label={`Token ${tokenName(token)}`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="h3" sx={{ flexGrow: 1, fontSize: '1.1rem' }}>
          {token.label}
        </Typography>
        <Chip
          size="small"
          color={token.loggedIn ? 'success' : 'default'}
          label={token.loggedIn ? 'Logged in' : 'Logged out'}
        />
      </Box>
      <DetailTable
        label={`Details of ${tokenName(token)}`}
        rows={[
          ['Serial number', token.serial],
          ['Manufacturer', token.manufacturer],
          ['Model', token.model],
          ['Hardware / firmware', `${token.hardwareVersion} / ${token.firmwareVersion}`],
          ['PIN length', `${token.minPinLength} to ${token.maxPinLength}`],
          ['Flags', flagSummary(token.flags)],
        ]}
      />
      {warnings.map((warning) => (
        <Alert key={warning} severity="warning" sx={{ mt: 1 }}>
          {warning}
        </Alert>
      ))}

      <Box sx={{ mt: 2 }}>
        {token.loggedIn ? (
          <Box sx={{ display: 'flex', gap: 1 }}>
            <Button onClick={() => void logout.run(false)} disabled={logout.pending}>
              Log out
            </Button>
            <Button onClick={() => void logout.run(true)} disabled={logout.pending}>
              Log out and forget a remembered PIN
            </Button>
          </Box>
        ) : (
          <TokenLogin
            profileId={profileId}
            token={token}
            {...(props.pinHint ? { pinHint: props.pinHint } : {})}
            onLoggedIn={() => props.onChanged()}
            onFailed={props.onChanged}
          />
        )}
        <ErrorAlert error={logout.error} onClose={logout.clearError} />
      </Box>

      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mt: 2 }}>
        <Button
          variant="outlined"
          onClick={() => (mechanisms ? setMechanisms(undefined) : void loadMechanisms.run())}
          disabled={loadMechanisms.pending}
        >
          {mechanisms ? 'Hide mechanisms' : 'Show mechanisms'}
        </Button>
        <Button
          variant="outlined"
          onClick={() => void loadKeys.run()}
          disabled={loadKeys.pending || !token.loggedIn}
        >
          Show keys
        </Button>
        <Button
          variant="outlined"
          onClick={() => void discover.run()}
          disabled={discover.pending || !token.loggedIn}
        >
          Add token keys to the inventory
        </Button>
        <Button color="error" onClick={() => setInitialising(true)}>
          Initialise token…
        </Button>
      </Box>
      <ErrorAlert
        error={loadMechanisms.error ?? loadKeys.error ?? discover.error}
        onClose={() => {
          loadMechanisms.clearError();
          loadKeys.clearError();
          discover.clearError();
        }}
      />
      <WorkProgress
        active={discover.pending}
        channel="tokens:discover-keys"
        label="Adding the token keys to the inventory"
      />
      {added !== undefined && (
        <Alert severity="success" sx={{ mt: 1 }} onClose={() => setAdded(undefined)}>
          {added === 0
            ? 'Every usable key on the token is already in the inventory.'
            : `${added} key${added === 1 ? '' : 's'} added to the inventory.`}
        </Alert>
      )}
      {mechanisms && (
        <>
          <Typography sx={{ mt: 2 }}>
            Key algorithms this token can make and sign with:{' '}
            {mechanisms.algorithms.map((algorithm) => ALGORITHM_LABELS[algorithm]).join(', ') ||
              'none MazeVault can use'}
          </Typography>
          <MechanismTable token={token} mechanisms={mechanisms.list} />
        </>
      )}
      {keys && <KeyTable token={token} keys={keys} />}
      {initialising && (
        <InitTokenDialog
          profileId={profileId}
          target={{ token }}
          onClose={() => setInitialising(false)}
          onInitialised={() => {
            setInitialising(false);
            setKeys(undefined);
            props.onChanged();
          }}
        />
      )}
    </Paper>
  );
}
