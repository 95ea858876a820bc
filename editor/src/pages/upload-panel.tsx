import { Button, Fieldset, Group, NativeSelect } from '@mantine/core';
import { useEffect, useState } from 'react';
import { checkName, type NamingToken } from '../../../rules/naming';
import { call, client, type DuplicateMatch, messageOf, type RuleSetPlan, uploadWithProgress } from '../api';
import { ErrorAlert } from '../feedback';
import { useLanguage, useT } from '../i18n';
import { useProjects } from '../use-projects';
import { DimensionTicks, dimensionsOf, FieldInputs, fieldsOf, labelIn } from './rule-set-forms';

/** A chosen file: waiting with its own field values, then uploading, then stored or refused. */
interface Staged {
  key: number;
  file: File;
  /** This file's values over the shared ones (per-file metadata in a batch). */
  own: Record<string, unknown>;
  progress?: number;
  error?: string;
  assetId?: string;
  duplicates?: DuplicateMatch[];
}

/**
 * Uploading: choose the rule set and the project, fill the rule set's fields and dimensions (a
 * form generated from the rule set, for every file, and each file's own values when they differ),
 * see before uploading whether each name follows the rule set's naming convention, then upload —
 * one request per file, with a progress bar each. The server checks everything again.
 */
export function UploadPanel({ onUploaded }: { onUploaded(): void }) {
  const t = useT();
  const { language } = useLanguage();
  const [ruleSets, setRuleSets] = useState<{ name: string; title: { en: string; zh?: string } }[]>([]);
  const projects = useProjects().filter((p) => p.level !== 'view');
  const [ruleSet, setRuleSet] = useState('');
  const [project, setProject] = useState('');
  const [plan, setPlan] = useState<RuleSetPlan | null>(null);
  const [shared, setShared] = useState<Record<string, unknown>>({});
  const [dimensions, setDimensions] = useState<Record<string, string[]>>({});
  const [staged, setStaged] = useState<Staged[]>([]);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void call(client.GET('/api/rule-sets'))
      .then((r) => setRuleSets(r.ruleSets))
      .catch(() => setRuleSets([]));
  }, []);
  // The chosen rule set's latest plan: its fields, dimensions and naming convention.
  useEffect(() => {
    setShared({});
    setDimensions({});
    if (!ruleSet) return setPlan(null);
    void call(client.GET('/api/rule-sets/{name}', { params: { path: { name: ruleSet } } }))
      .then((r) => setPlan(r.latest.plan))
      .catch(() => setPlan(null));
  }, [ruleSet]);

  const fields = fieldsOf(plan);
  const naming = (plan?.create.naming ?? null) as {
    template: string;
    policy: 'reject' | 'rename' | 'warn';
    tokens: NamingToken[];
  } | null;
  const tokens = naming?.tokens ?? null;
  /** The naming convention's verdict on a file's name with its values, as the server will give it. */
  const nameCheck = (s: Staged) => {
    if (!tokens) return null;
    const ext = s.file.name.includes('.') ? (s.file.name.split('.').pop() ?? '') : '';
    const metadata = { ...shared, ...s.own };
    return checkName(tokens, s.file.name, { metadata, version: 1, date: new Date().toISOString(), ext });
  };

  const stage = (files: File[]) =>
    setStaged((current) => {
      const first = current.reduce((max, s) => Math.max(max, s.key + 1), 0);
      return [...current, ...files.map((file, i) => ({ key: first + i, file, own: {} }))];
    });
  const update = (key: number, patch: Partial<Staged>) =>
    setStaged((current) => current.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  const waiting = staged.filter((s) => s.progress === undefined);
  const upload = async () => {
    setBusy(true);
    const chosenDimensions = Object.fromEntries(Object.entries(dimensions).filter(([, v]) => v.length > 0));
    await Promise.all(
      waiting.map(async (s) => {
        update(s.key, { progress: 0, error: undefined });
        const form = new FormData();
        form.append('file', s.file, s.file.name);
        if (ruleSet) form.append('ruleSet', ruleSet);
        if (project) form.append('project', project);
        const metadata = { ...shared, ...s.own };
        if (Object.keys(metadata).length > 0) form.append('metadata', JSON.stringify(metadata));
        if (Object.keys(chosenDimensions).length > 0)
          form.append('dimensions', JSON.stringify(chosenDimensions));
        try {
          const body = await uploadWithProgress(form, (progress) => update(s.key, { progress }));
          // One file per request: the answer is that asset (several files would answer `{ assets }`).
          const asset = 'assets' in body ? body.assets[0] : body;
          update(s.key, { progress: 1, assetId: asset?.id, duplicates: asset?.duplicates });
        } catch (error) {
          // Refused: it waits again, with the reason, to be corrected and sent again.
          update(s.key, { progress: undefined, error: messageOf(error) });
        }
      }),
    );
    setBusy(false);
    onUploaded();
  };

  return (
    <section className="upload-panel">
      <label
        className={`drop-zone${dragging ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          stage([...e.dataTransfer.files]);
        }}
      >
        {t('dropHere')}
        <input
          type="file"
          multiple
          aria-label={t('upload')}
          onChange={(e) => {
            stage([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </label>
      {staged.length > 0 && (
        <>
          <Group className="upload-options" gap="sm" align="flex-end">
            <NativeSelect
              label={t('ruleSet')}
              value={ruleSet}
              onChange={(e) => setRuleSet(e.currentTarget.value)}
            >
              <option value="">{t('defaultRuleSet')}</option>
              {ruleSets.map((r) => (
                <option key={r.name} value={r.name}>
                  {labelIn(r.title, language)} ({r.name})
                </option>
              ))}
            </NativeSelect>
            {projects.length > 0 && (
              <NativeSelect
                label={t('project')}
                value={project}
                onChange={(e) => setProject(e.currentTarget.value)}
              >
                <option value="">{t('defaultProject')}</option>
                {projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </NativeSelect>
            )}
          </Group>
          {naming && (
            <p className="hint" data-testid="naming-convention">
              {t('namingConvention')}: <code>{naming.template}</code> ({t(`naming_${naming.policy}`)})
            </p>
          )}
          {Object.keys(fields).length > 0 && (
            <Fieldset className="shared-fields" legend={t('fieldsForEveryFile')}>
              <FieldInputs fields={fields} values={shared} onChange={setShared} idPrefix="upload-all" />
            </Fieldset>
          )}
          {Object.keys(dimensionsOf(plan)).length > 0 && (
            <div className="dimension-editor">
              <DimensionTicks
                dimensions={dimensionsOf(plan)}
                chosen={dimensions}
                onChange={setDimensions}
                name="upload-dimension"
              />
            </div>
          )}
          <ul className="uploads" aria-label={t('uploads')}>
            {staged.map((s) => {
              const verdict = s.progress === undefined ? nameCheck(s) : null;
              return (
                <li key={s.key} className="staged-file" data-testid="staged-file">
                  <span>{s.file.name}</span>
                  {s.progress !== undefined && (
                    <progress max={1} value={s.progress} aria-label={s.file.name} />
                  )}
                  {verdict && !verdict.ok && (
                    <span
                      className={naming?.policy === 'reject' ? 'error' : 'warning'}
                      data-testid="naming-verdict"
                    >
                      {t('expectedName')} {verdict.expected}
                      {verdict.suggestion ? ` → ${verdict.suggestion}` : ''}
                    </span>
                  )}
                  <ErrorAlert message={s.error ?? ''} />
                  {s.assetId && (
                    <a href={`#/assets/${s.assetId}`} className="uploaded">
                      {t('open')}
                    </a>
                  )}
                  {s.duplicates?.map((d) => (
                    <span key={d.assetId} className="warning" role="status">
                      {t('similarTo')}: <a href={`#/assets/${d.assetId}`}>{d.assetId.slice(0, 8)}</a>{' '}
                      <img src={`/api/assets/${d.assetId}/thumbnail`} alt="" width={32} height={32} />{' '}
                      {Math.round(d.similarity * 100)}%
                    </span>
                  ))}
                  {s.progress === undefined && (
                    <>
                      {Object.keys(fields).length > 0 && (
                        <details>
                          <summary>
                            {t('fieldsForThisFile')} {s.file.name}
                          </summary>
                          <FieldInputs
                            fields={fields}
                            values={{ ...shared, ...s.own }}
                            onChange={(values) =>
                              update(s.key, {
                                own: Object.fromEntries(
                                  Object.entries(values).filter(([k, v]) => shared[k] !== v),
                                ),
                              })
                            }
                            idPrefix={`upload-${s.key}`}
                          />
                        </details>
                      )}
                      <Button
                        variant="subtle"
                        size="compact-sm"
                        onClick={() => setStaged((current) => current.filter((x) => x.key !== s.key))}
                      >
                        {t('removeFile')} <span className="visually-hidden">{s.file.name}</span>
                      </Button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          <Button variant="default" disabled={busy || waiting.length === 0} onClick={() => void upload()}>
            {t('uploadFiles')} ({waiting.length})
          </Button>
        </>
      )}
    </section>
  );
}
