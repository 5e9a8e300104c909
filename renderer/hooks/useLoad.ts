// Loads something from the main process for a page: the value, the error sentence, and a reload.
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../client/client';

export interface Loaded<T> {
  value: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, dependencies: readonly unknown[]): Loaded<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  // The caller lists what `load` depends on, as with useEffect.
  const stableLoad = useCallback(load, dependencies);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(undefined);
    void stableLoad().then(
      (result) => {
        if (!current) return;
        setValue(result);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [stableLoad, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { value, error, loading, reload };
}
