import { useEffect, useState } from 'react';
import { problemOf } from '../session.ts';
import type { Loaded } from './list-state.tsx';

/** What the typed client answers: the body, or the API's problem and the response. */
export interface ApiAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Loads `load()` whenever `key` changes; a slower earlier answer never overwrites a later one.
 * `reload` runs it again (after a replay, say).
 */
export function useLoaded<T>(key: string, load: () => Promise<ApiAnswer<T>>): { loaded: Loaded<T>; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (answer) => {
        if (!current) return;
        if (answer.data !== undefined) setLoaded({ state: 'ready', value: answer.data });
        else setLoaded({ state: 'error', problem: problemOf(answer.error, answer.response.status) });
      },
      (err: unknown) => {
        if (current) setLoaded({ state: 'error', problem: problemOf(err) });
      },
    );
    return () => {
      current = false;
    };
    // `load` is a new closure each render; `key` names what it loads.
  }, [key, round]);
  return { loaded, reload: () => setRound((r) => r + 1) };
}
