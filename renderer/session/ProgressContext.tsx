// Long work in the main process (key generation, KDFs, audit verification) announces itself with
// `progress` events; this keeps the operations still running so the top bar can show a bar and
// the message, and so pages can show a determinate bar when the work reports a fraction.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ProgressEvent } from '../../shared/contract';
import { subscribe } from '../client/client';

const ProgressContext = createContext<readonly ProgressEvent[]>([]);

export function ProgressProvider({ children }: { children: ReactNode }) {
  const [running, setRunning] = useState<readonly ProgressEvent[]>([]);

  useEffect(
    () =>
      subscribe('progress', (event) => {
        setRunning((previous) => {
          const others = previous.filter((item) => item.operationId !== event.operationId);
          const done = event.stage === 'finished' || event.stage === 'failed';
          return done ? others : [...others, event];
        });
      }),
    [],
  );

  return <ProgressContext.Provider value={running}>{children}</ProgressContext.Provider>;
}

/** The operations still running, oldest first. */
export function useRunningOperations(): readonly ProgressEvent[] {
  return useContext(ProgressContext);
}
