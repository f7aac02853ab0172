import { Alert } from '@mantine/core';
import { useState } from 'react';
import { type ApiProblem, problemOf } from '../session.ts';

/** What an action (a retry, a replay) came to: a sentence to show, or the API's refusal. */
export type ActionOutcome = { ok: true; text: string } | { ok: false; problem: ApiProblem };

/** Runs one action at a time; a throw (the network) becomes a refusal like any other. */
export function useAction(): { busy: boolean; outcome: ActionOutcome | null; run: (act: () => Promise<ActionOutcome>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const run = async (act: () => Promise<ActionOutcome>) => {
    setBusy(true);
    try {
      setOutcome(await act());
    } catch (err) {
      setOutcome({ ok: false, problem: problemOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, run };
}

export function ActionAlert({ outcome }: { outcome: ActionOutcome | null }) {
  if (!outcome) return null;
  return (
    <Alert color={outcome.ok ? 'green' : 'red'} role="status">
      {outcome.ok ? outcome.text : `${outcome.problem.code}: ${outcome.problem.message}`}
    </Alert>
  );
}
