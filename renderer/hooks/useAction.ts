// Runs one officer action (a button press) against the main process: pending flag, error
// sentence, and the result. A second press while one is running is ignored.
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../client/client';

export interface Action<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  pending: boolean;
  error: string | undefined;
  clearError: () => void;
}

export function useAction<A extends unknown[], T>(work: (...args: A) => Promise<T>): Action<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const running = useRef(false);

  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      if (running.current) return undefined;
      running.current = true;
      setPending(true);
      setError(undefined);
      try {
        return await work(...args);
      } catch (failure) {
        setError(errorMessage(failure));
        return undefined;
      } finally {
        running.current = false;
        setPending(false);
      }
    },
    [work],
  );

  const clearError = useCallback(() => setError(undefined), []);
  return { run, pending, error, clearError };
}
