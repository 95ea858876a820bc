import { Anchor, Button, Group, NativeSelect, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import {
  type Asset,
  type AssetVersion,
  type AuditEvent,
  type CommentThread,
  call,
  client,
  type DownloadDecision,
  type Me,
  messageOf,
  type RuleSetPlan,
  type Transition,
} from '../api';
import { ErrorAlert, notifyDone, StatusPanel } from '../feedback';
import type { components } from '../generated/api-schema';
import { useT } from '../i18n';
import { CorrectionsPanel } from './corrections-panel';
import { LifecyclePanel } from './lifecycle-panel';
import { type Region, RegionPicker } from './region-picker';
import { SharePanel } from './share-panel';
import { SimilarPanel } from './similar-panel';
import { TrashActions } from './trash-actions';
import { VersionsPanel } from './versions-panel';

type LifecycleView = components['schemas']['LifecycleView'];

/** One asset: preview, versions, comments, lifecycle timeline, downloads by audience, links, trail. */
export function AssetPage({ id, me }: { id: string; me: Me }) {
  const t = useT();
  const [asset, setAsset] = useState<Asset | null>(null);
  const [error, setError] = useState('');
  const [versions, setVersions] = useState<AssetVersion[]>([]);
  const [threads, setThreads] = useState<CommentThread[]>([]);
  const [timeline, setTimeline] = useState<Transition[]>([]);
  const [plan, setPlan] = useState<RuleSetPlan | null>(null);
  // Only managers of the project may read the trail; for others it stays null and is not shown.
  const [trail, setTrail] = useState<AuditEvent[] | null>(null);
  const [comment, setComment] = useState('');
  const [region, setRegion] = useState<Region | null>(null);
  const [audience, setAudience] = useState('');
  const [rendition, setRendition] = useState('');
  const [decision, setDecision] = useState<DownloadDecision | null>(null);
  const [requestError, setRequestError] = useState('');
  const [flowToStart, setFlowToStart] = useState('');
  const [flowError, setFlowError] = useState('');

  const loadComments = useCallback(async () => {
    setThreads((await call(client.GET('/api/assets/{id}/comments', { params: { path: { id } } }))).threads);
  }, [id]);

  // Loads can overlap (a poll, the re-reads after a change): only the latest started is shown, so
  // an older answer arriving late cannot put back what the asset was.
  const latestLoad = useRef(0);
  const load = useCallback(async () => {
    const started = ++latestLoad.current;
    try {
      const path = { path: { id } };
      const loadingAsset = call(client.GET('/api/assets/{id}', { params: path }));
      // Only the plan waits for the asset (it names the rule-set version); the rest loads alongside.
      const loadingPlan = loadingAsset.then((a) =>
        a.ruleSetVersion
          ? call(
              client.GET('/api/rule-sets/{name}/versions/{version}', {
                params: { path: { name: a.ruleSet, version: a.ruleSetVersion } },
              }),
            ).then((r) => r.plan)
          : null,
      );
      const [a, v, tl, events, p] = await Promise.all([
        loadingAsset,
        call(client.GET('/api/assets/{id}/versions', { params: path })),
        call(client.GET('/api/assets/{id}/timeline', { params: path })),
        call(client.GET('/api/assets/{id}/trail', { params: path }))
          .then((r) => r.events)
          .catch(() => null),
        loadingPlan,
        loadComments(),
      ]);
      if (started !== latestLoad.current) return;
      setAsset(a);
      setVersions(v.versions);
      setTimeline(tl.timeline);
      setTrail(events);
      if (p) {
        setPlan(p);
        const mine = Object.entries(p.distribute.audiences).find(([, aud]) =>
          aud.roles.some((r) => me.roles.includes(r)),
        );
        const first = mine ?? Object.entries(p.distribute.audiences)[0];
        if (first) {
          setAudience((current) => current || first[0]);
          setRendition((current) => current || (first[1].renditions.at(-1) ?? ''));
        }
      }
    } catch (err) {
      setError(messageOf(err));
    }
  }, [id, me.roles, loadComments]);
  useEffect(() => {
    void load();
  }, [load]);
  /**
   * After a change the asset's workflow accepted: the workflow answers first and mirrors the
   * change into the catalogue just after, so the page is read again until the catalogue shows what
   * the workflow answered (at most 5 s), lest it show the asset as it was.
   */
  const afterChange = useCallback(
    async (view?: LifecycleView) => {
      // Only the asset is asked for while waiting; the whole page is read once, after.
      for (let tries = 0; view && tries < 20; tries++) {
        const a = await call(client.GET('/api/assets/{id}', { params: { path: { id } } })).catch(
          () => undefined,
        );
        if (!a || reflects(a, view)) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await load();
    },
    [id, load],
  );
  // The models run after the asset is stored: look again until they are done, and once more
  // after that, since the workflow makes their tags the asset's just after they report.
  const tagging = asset?.latestVersion.analysis?.enrichment?.state === 'pending';
  useEffect(() => {
    if (!tagging) return;
    const again = setInterval(() => void load(), 2000);
    return () => {
      clearInterval(again);
      setTimeout(() => void load(), 1000);
    };
  }, [tagging, load]);

  if (error) return <ErrorAlert message={error} />;
  if (!asset) return null;

  const addComment = async (e: FormEvent) => {
    e.preventDefault();
    await call(
      client.POST('/api/assets/{id}/comments', {
        params: { path: { id } },
        body: { body: comment, ...(region ? { region } : {}) },
      }),
    );
    setComment('');
    setRegion(null);
    await loadComments();
  };
  const requestDownload = async (e: FormEvent) => {
    e.preventDefault();
    setRequestError('');
    try {
      setDecision(
        await call(
          client.POST('/api/assets/{id}/download-requests', {
            params: { path: { id } },
            body: { audience, rendition },
          }),
        ),
      );
    } catch (err) {
      setDecision(null);
      setRequestError(messageOf(err));
    }
  };
  const manualFlows = plan ? Object.entries(plan.flows ?? {}).filter(([, f]) => f.trigger === 'manual') : [];
  const startFlow = async (e: FormEvent) => {
    e.preventDefault();
    const name = flowToStart || manualFlows[0]?.[0];
    if (!name) return;
    setFlowError('');
    try {
      await call(
        client.POST('/api/assets/{id}/flows/{flow}', { params: { path: { id, flow: name } }, body: {} }),
      );
      notifyDone(`${t('flowStarted')}: ${name}`);
      await load();
    } catch (err) {
      setFlowError(messageOf(err));
    }
  };
  const audiences = plan ? Object.entries(plan.distribute.audiences) : [];
  const renditions = audiences.find(([name]) => name === audience)?.[1].renditions ?? [];

  return (
    <article className="asset-page">
      <header>
        <Title order={1}>{asset.name}</Title>
        <p className="meta">
          {t('state')}: <span data-testid="asset-state">{asset.state}</span> · v{asset.latestVersion.version}{' '}
          · {asset.ruleSet} · {asset.project}
          {asset.frozen && (
            <span className="badge frozen" title={`${asset.frozen.by}: ${asset.frozen.reason}`}>
              {t('frozen')}: {asset.frozen.reason}
            </span>
          )}
          {asset.compliance?.withheld && (
            <span className="badge frozen" data-testid="withheld">
              {t('withheld')}: {asset.compliance.withheld.message}
            </span>
          )}
        </p>
        <p className="meta">
          {t('tags')}: <span data-testid="asset-tags">{asset.tags.join(', ') || '—'}</span>
          {tagging && (
            <span className="badge" data-testid="tagging">
              {t('tagging')}
            </span>
          )}
        </p>
        {asset.compliance?.brandColours && (
          <p className="meta" data-testid="brand-palette">
            {t('brandPalette')}:{' '}
            {asset.compliance.brandColours.ok ? (
              t('onPalette')
            ) : (
              <span className={asset.compliance.brandColours.policy === 'reject' ? 'error' : 'warning'}>
                {t('offPalette')}
              </span>
            )}
            {asset.compliance.brandColours.worstDeltaE !== null &&
              ` (ΔE ${asset.compliance.brandColours.worstDeltaE.toFixed(1)})`}
          </p>
        )}
        {Object.entries(asset.compliance?.fieldSources ?? {}).map(([field, source]) =>
          source.source === 'ai' ? (
            <p key={field} className="meta" data-testid={`ai-filled-${field}`}>
              {t('aiFilled')}: {field} = {String(asset.metadata[field])} ({source.tag},{' '}
              {Math.round(source.confidence * 100)} %)
            </p>
          ) : null,
        )}
      </header>
      <div className="asset-body">
        <RegionPicker
          src={`/api/assets/${id}/thumbnail?v=${asset.latestVersion.version}&state=${asset.state}`}
          alt={asset.name}
          regions={threads
            .filter((c) => c.region && c.version === asset.latestVersion.version)
            .map((c) => ({ id: c.id, region: c.region!, label: `${c.author}: ${c.body}` }))}
          value={region}
          onChange={setRegion}
        />
        <section aria-labelledby="download-heading">
          <Title order={2} mt="lg" mb="xs" id="download-heading">
            {t('requestDownload')}
          </Title>
          <Group component="form" onSubmit={requestDownload} align="flex-end">
            <NativeSelect
              label={t('audience')}
              value={audience}
              onChange={(e) => setAudience(e.currentTarget.value)}
            >
              {audiences.map(([name]) => (
                <option key={name}>{name}</option>
              ))}
            </NativeSelect>
            <NativeSelect
              label={t('rendition')}
              value={rendition}
              onChange={(e) => setRendition(e.currentTarget.value)}
            >
              {renditions.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </NativeSelect>
            <Button type="submit">{t('request')}</Button>
          </Group>
          <ErrorAlert message={requestError} />
          {decision?.status === 'pending' && (
            <div data-testid="download-status">
              <StatusPanel>
                {t('pending')} ({decision.approvalId})
              </StatusPanel>
            </div>
          )}
          {decision?.status === 'restoring' && (
            <div data-testid="download-status">
              <StatusPanel>{t('restoring')}</StatusPanel>
            </div>
          )}
          {manualFlows.length > 0 && (
            <Group component="form" onSubmit={startFlow} align="flex-end">
              <NativeSelect
                label={t('flow')}
                aria-label={t('flow')}
                value={flowToStart}
                onChange={(e) => setFlowToStart(e.currentTarget.value)}
              >
                {manualFlows.map(([name, f]) => (
                  <option key={name} value={name}>
                    {f.label?.en ?? name}
                  </option>
                ))}
              </NativeSelect>
              <Button type="submit">{t('startFlow')}</Button>
            </Group>
          )}
          <ErrorAlert message={flowError} />
          {decision && decision.status !== 'pending' && decision.status !== 'restoring' && (
            <p data-testid="download-status">
              <Anchor
                href={`/api/assets/${id}/renditions/${decision.rendition}?audience=${encodeURIComponent(audience)}`}
                download
              >
                {t('download')} {decision.rendition}
              </Anchor>
            </p>
          )}
        </section>
      </div>
      <VersionsPanel assetId={id} versions={versions} onChanged={() => void afterChange()} />
      <section>
        <Title order={2} mt="lg" mb="xs">
          {t('comments')}
        </Title>
        <ul className="comments">
          {threads.map((c) => (
            <li key={c.id} className={c.resolvedAt ? 'resolved' : undefined}>
              <strong>{c.author}</strong> (v{c.version}
              {c.region ? ', ▭' : ''}): {c.body}
              {c.replies.length > 0 && (
                <ul>
                  {c.replies.map((r) => (
                    <li key={r.id}>
                      <strong>{r.author}</strong>: {r.body}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        <Group component="form" onSubmit={addComment} align="flex-end">
          {region && <span className="chip">▭ {region.kind}</span>}
          <TextInput
            label={t('addComment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            required
            withAsterisk={false}
          />
          <Button type="submit">{t('send')}</Button>
        </Group>
      </section>
      <section>
        <Title order={2} mt="lg" mb="xs">
          {t('timeline')}
        </Title>
        <ol className="timeline">
          {timeline.map((e) => (
            <li key={e.seq}>
              {new Date(e.at).toLocaleString()} → <strong>{e.to}</strong> ({e.reason})
            </li>
          ))}
        </ol>
      </section>
      <LifecyclePanel
        asset={asset}
        plan={plan}
        admin={me.roles.includes('admin')}
        onChanged={(view) => void afterChange(view)}
      />
      <CorrectionsPanel asset={asset} plan={plan} onChanged={(view) => void afterChange(view)} />
      <TrashActions asset={asset} onChanged={(view) => void afterChange(view)} />
      <SimilarPanel key={id} assetId={id} />
      {plan && <SharePanel assetIds={[id]} renditions={Object.keys(plan.distribute.renditions)} />}
      {trail && (
        <section>
          <Title order={2} mt="lg" mb="xs">
            {t('trail')}
          </Title>
          <ol className="trail">
            {trail.map((e) => (
              <li key={e.seq}>
                {new Date(e.at).toLocaleString()} · {e.action} · {e.actor}
                {e.rendition ? ` · ${e.rendition}` : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}

/** Whether the catalogue's copy of the asset shows what the workflow's view says. */
function reflects(asset: Asset, view: LifecycleView): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sorted = (values: string[]) => [...values].sort();
  return (
    asset.state === view.state &&
    same(sorted(asset.tags), sorted(view.asset.tags)) &&
    Boolean(asset.frozen) === Boolean(view.frozen) &&
    Boolean(asset.legalHold) === Boolean(view.legalHold) &&
    Object.entries(view.metadata).every(([k, v]) => same(asset.metadata[k], v)) &&
    Object.entries(view.dimensions ?? {}).every(([k, v]) =>
      same(sorted(asset.dimensions[k] ?? []), sorted(v)),
    )
  );
}
