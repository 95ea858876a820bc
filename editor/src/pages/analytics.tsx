import { Anchor, Group, NativeSelect, Table, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { type AnalyticsSummary, call, client, messageOf, type UnusedAsset } from '../api';
import { Chart, type ChartOption } from '../charts/chart';
import { ErrorAlert } from '../feedback';
import { type TextKey, useT } from '../i18n';

type Summary = AnalyticsSummary;
type Period = Summary['period'];

/**
 * What every chart here shares: drawn at once (no animation: the figures are read, not watched),
 * a tooltip per axis value in rich text (the HTML tooltip writes inline styles, which the app's
 * CSP refuses), the legend on top.
 */
const COMMON = {
  animation: false,
  tooltip: { trigger: 'axis', renderMode: 'richText' },
  legend: { top: 0 },
} satisfies ChartOption;
const USES = ['views', 'downloads', 'shares', 'exports'] as const satisfies readonly TextKey[];

/**
 * For analysts: use over time, reuse over time and the most used assets as charts (ECharts), the
 * totals and channels as figures, and the assets unused for N days (candidates for cold storage)
 * with a CSV download. Every figure comes from the distribution trail (`/api/analytics/*`).
 */
export function AnalyticsPage() {
  const t = useT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState<Period>('month');
  const [days, setDays] = useState(90);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [unused, setUnused] = useState<UnusedAsset[] | null>(null);
  const [error, setError] = useState('');

  // A later choice wins: the answer to an earlier one arriving late is dropped.
  useEffect(() => {
    let current = true;
    const window = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    setError('');
    call(client.GET('/api/analytics/summary', { params: { query: { ...window, period } } }))
      .then((answer) => current && setSummary(answer))
      .catch((err) => current && setError(messageOf(err)));
    return () => {
      current = false;
    };
  }, [from, to, period]);
  useEffect(() => {
    let current = true;
    call(client.GET('/api/analytics/unused', { params: { query: { days, limit: 100 } } }))
      // JSON unless ?format=csv, which this call does not ask for.
      .then((r) => current && setUnused(typeof r === 'string' ? [] : r.items))
      .catch((err) => current && setError(messageOf(err)));
    return () => {
      current = false;
    };
  }, [days]);

  return (
    <section className="analytics-page" aria-labelledby="analytics-heading">
      <Title order={1} id="analytics-heading">
        {t('analytics')}
      </Title>
      <Group
        component="form"
        className="analytics-window"
        align="flex-end"
        onSubmit={(e) => e.preventDefault()}
      >
        <TextInput
          type="date"
          label={t('fromDay')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput type="date" label={t('toDay')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <NativeSelect
          label={t('per')}
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value as Period)}
          data={[
            { value: 'day', label: t('day') },
            { value: 'week', label: t('week') },
            { value: 'month', label: t('month') },
          ]}
        />
      </Group>
      <ErrorAlert message={error} />
      {summary && <Figures summary={summary} />}
      <UnusedAssets days={days} onDays={setDays} items={unused} />
    </section>
  );
}

function Figures({ summary }: { summary: Summary }) {
  const t = useT();
  const charts = useCharts(summary);
  return (
    <>
      <dl className="totals" aria-label={t('totals')}>
        {USES.map((use) => (
          <div key={use}>
            <dt>{t(use)}</dt>
            <dd data-testid={`total-${use}`}>{summary.totals[use]}</dd>
          </div>
        ))}
        <div>
          <dt>{t('reuseRate')}</dt>
          <dd data-testid="reuse-rate">{Math.round(summary.reuse.rate * 100)}%</dd>
        </div>
      </dl>
      <div className="chart-grid">
        <figure data-testid="chart-use">
          <figcaption>{t('useOverTime')}</figcaption>
          <Chart option={charts.use} summary={charts.useSummary} />
        </figure>
        <figure data-testid="chart-reuse">
          <figcaption>{t('reuseOverTime')}</figcaption>
          <Chart option={charts.reuse} summary={charts.reuseSummary} />
        </figure>
        <figure data-testid="chart-most-used">
          <figcaption>{t('mostUsed')}</figcaption>
          <Chart option={charts.mostUsed} summary={charts.mostUsedSummary} height={320} />
        </figure>
      </div>
      <Table className="data-table" w="auto" captionSide="top">
        <Table.Caption>{t('byChannel')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('channel')}</Table.Th>
            <Table.Th>{t('downloads')}</Table.Th>
            <Table.Th>{t('exports')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {summary.byChannel.map((c) => (
            <Table.Tr key={c.channel}>
              <Table.Td>{c.channel}</Table.Td>
              <Table.Td>{c.downloads}</Table.Td>
              <Table.Td>{c.exports}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** The three charts' options and their spoken summaries, rebuilt when the figures or language change. */
function useCharts(summary: Summary) {
  const t = useT();
  return useMemo(() => {
    const periods = summary.byPeriod.map((p) => p.period);
    const axis = { type: 'category' as const, data: periods };
    const use: ChartOption = {
      ...COMMON,
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: axis,
      yAxis: { type: 'value', minInterval: 1 },
      series: USES.map((key) => ({
        type: 'bar',
        stack: 'uses',
        name: t(key),
        data: summary.byPeriod.map((p) => p[key]),
      })),
    };
    const reuse: ChartOption = {
      ...COMMON,
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: axis,
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: t('assetsUsed'), data: summary.byPeriod.map((p) => p.used) },
        { type: 'line', name: t('assetsReused'), data: summary.byPeriod.map((p) => p.reused) },
      ],
    };
    // Most used at the top: ECharts draws a category axis from the bottom up.
    const top = [...summary.mostUsed].reverse();
    const mostUsed: ChartOption = {
      ...COMMON,
      grid: { left: 8, right: 16, top: 36, bottom: 28, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: top.map((a) => a.name),
        axisLabel: { width: 160, overflow: 'truncate' },
      },
      series: USES.map((key) => ({ type: 'bar', stack: 'uses', name: t(key), data: top.map((a) => a[key]) })),
    };
    const last = summary.byPeriod.at(-1);
    return {
      use,
      useSummary: `${t('useOverTime')}: ${summary.byPeriod
        .map((p) => `${p.period} ${USES.map((k) => `${t(k)} ${p[k]}`).join(', ')}`)
        .join('; ')}`,
      reuse,
      reuseSummary: `${t('reuseOverTime')}: ${last ? `${t('assetsUsed')} ${last.used}, ${t('assetsReused')} ${last.reused}` : '—'}`,
      mostUsed,
      mostUsedSummary: `${t('mostUsed')}: ${summary.mostUsed.map((a) => a.name).join(', ')}`,
    };
  }, [summary, t]);
}

function UnusedAssets({
  days,
  onDays,
  items,
}: {
  days: number;
  onDays(days: number): void;
  items: UnusedAsset[] | null;
}) {
  const t = useT();
  return (
    <section aria-labelledby="unused-heading">
      <Title order={2} mt="lg" mb="xs" id="unused-heading">
        {t('unusedAssets')}
      </Title>
      <Group align="flex-end">
        <TextInput
          type="number"
          label={t('unusedForDays')}
          min={1}
          max={36500}
          value={days}
          onChange={(e) => {
            const n = Number(e.currentTarget.value);
            if (Number.isInteger(n) && n >= 1 && n <= 36_500) onDays(n);
          }}
        />
        <Anchor href={`/api/analytics/unused?format=csv&days=${days}`} download pb={6}>
          {t('downloadCsv')}
        </Anchor>
      </Group>
      {items && items.length === 0 && <p>{t('noneUnused')}</p>}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={480} type="native">
          <Table className="data-table" data-testid="unused-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('name')}</Table.Th>
                <Table.Th>{t('lastUsed')}</Table.Th>
                <Table.Th>{t('uploaded')}</Table.Th>
                <Table.Th>{t('tier')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.assetId}>
                  <Table.Td>
                    <Anchor href={`#/assets/${a.assetId}`}>{a.name}</Anchor>
                  </Table.Td>
                  <Table.Td>
                    {a.lastUsedAt ? new Date(a.lastUsedAt).toLocaleDateString() : t('never')}
                  </Table.Td>
                  <Table.Td>{new Date(a.createdAt).toLocaleDateString()}</Table.Td>
                  <Table.Td>{a.tier}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
