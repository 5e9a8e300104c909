// What the whole window knows about the vault: which file is open and whether it is unlocked.
// The main process is the source of truth; this refreshes from `app:status` and on lock events.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { AppStatus, VaultStatus } from '../../shared/contract';
import { call, errorMessage, subscribe } from '../client/client';

interface Session {
  status: AppStatus | undefined;
  error: string | undefined;
  refresh: () => Promise<void>;
  /** Replaces the vault part after a create, open, unlock or lock call returned it. */
  setVault: (vault: VaultStatus) => void;
  /** Why the vault locked itself, when it did (idle timer), for a notice. */
  lockNotice: string | undefined;
  dismissLockNotice: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AppStatus>();
  const [error, setError] = useState<string>();
  const [lockNotice, setLockNotice] = useState<string>();

  const refresh = useCallback(async () => {
    try {
      setStatus(await call('app:status'));
      setError(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, []);

  const setVault = useCallback((vault: VaultStatus) => {
    setStatus((previous) => (previous ? { ...previous, vault } : previous));
  }, []);

  useEffect(() => {
    void refresh();
    return subscribe('vault-locked', (event) => {
      if (event.reason === 'idle') {
        setLockNotice('The vault locked itself after a period without activity.');
      }
      void refresh();
    });
  }, [refresh]);

  const value = useMemo<Session>(
    () => ({
      status,
      error,
      refresh,
      setVault,
      lockNotice,
      dismissLockNotice: () => setLockNotice(undefined),
    }),
    [status, error, refresh, setVault, lockNotice],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside SessionProvider.');
  return session;
}
