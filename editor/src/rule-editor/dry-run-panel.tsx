import { Button, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { type DryRunEvent, type DryRunResult, type DryRunSample, dryRun } from '../../../lifecycle/dry-run';
import type { RuleSetPlan } from '../../../rules/plan';
import { messageOf } from '../api';
import { ErrorAlert } from '../feedback';

/** A sample asset and events to start from: edit it, then Run. */
function sampleFor(flowTrigger: string | undefined): string {
  const uploadedAt = new Date().toISOString().slice(0, 10);
  const events: DryRunEvent[] =
    flowTrigger === 'download-request'
      ? [
          {
            type: 'download-request',
            at: `${uploadedAt}T10:00:00.000Z`,
            audience: 'everyone',
            rendition: 'original',
            user: 'ann',
            roles: ['editor'],
          },
        ]
      : [];
  return JSON.stringify(
    {
      asset: { name: 'sample.jpg', kind: 'image', uploadedAt: `${uploadedAt}T09:00:00.000Z` },
      metadata: {},
      events,
    },
    null,
    2,
  );
}

/**
 * Dry-run in the browser with the lifecycle engine the asset workflow runs (lifecycle/): the
 * sample asset and events go through the compiled plan; the path each flow took lights up on the
 * canvas (`onPath`) and every timer is listed with its date.
 */
export function DryRunPanel({
  plan,
  flow,
  trigger,
  onPath,
}: {
  /** The editor's compiled plan of the current text (absent while it has errors). */
  plan: RuleSetPlan | undefined;
  flow: string;
  trigger: string | undefined;
  onPath(nodes: string[]): void;
}) {
  const [input, setInput] = useState(() => sampleFor(trigger));
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState('');
  const run = () => {
    setError('');
    try {
      if (!plan) throw new Error('Fix the problems first.');
      const { events, ...sample } = JSON.parse(input) as DryRunSample & { events?: DryRunEvent[] };
      const outcome = dryRun(plan, sample, events ?? []);
      setResult(outcome);
      onPath(outcome.flows.filter((f) => f.flow === flow).flatMap((f) => f.path.map((step) => step.node)));
    } catch (err) {
      setResult(null);
      onPath([]);
      setError(messageOf(err));
    }
  };
  return (
    <section className="dry-run" aria-label="Dry run">
      <Title order={3}>Dry run</Title>
      <Textarea
        aria-label="Dry-run sample"
        spellCheck={false}
        autosize
        minRows={6}
        maxRows={16}
        value={input}
        onChange={(e) => setInput(e.currentTarget.value)}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <Button onClick={run} mt="xs">
        Run
      </Button>
      <ErrorAlert message={error} />
      {result && (
        <div data-testid="dry-run-result">
          <p>
            Final state: <strong>{result.final.state}</strong>
            {result.final.grants.length > 0 && ` · grants: ${result.final.grants.join(', ')}`}
          </p>
          <ol className="dry-run-log">
            {result.log.map((entry) => (
              <li key={`${entry.at}|${entry.event}|${entry.outcome}`}>
                {entry.at.slice(0, 16).replace('T', ' ')} · {entry.event} → {entry.outcome}
              </li>
            ))}
          </ol>
          <Title order={4}>Timers</Title>
          <ul className="dry-run-timers">
            {result.timers.map((timer) => (
              <li key={`${timer.name}|${timer.at}`}>
                {timer.at.slice(0, 10)} · {timer.name} ({timer.status}) — {timer.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
