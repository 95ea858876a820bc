import { Button, Group, Input, TextInput, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { type AssetVersion, call, client, messageOf } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';

/**
 * The version history on the asset page: each version with who, when and why; a new version
 * uploaded with a note; an old one made the newest again (as a new version: history is never
 * rewritten); two versions compared side by side with what differs between them.
 */
export function VersionsPanel({
  assetId,
  versions,
  onChanged,
}: {
  assetId: string;
  versions: AssetVersion[];
  onChanged(): void;
}) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  // A new key empties the form's file input after an upload.
  const [formKey, setFormKey] = useState(0);
  const [pair, setPair] = useState<{ a: number; b: number } | null>(null);
  const [changes, setChanges] = useState<{ field: string; a: unknown; b: unknown }[]>([]);
  const [error, setError] = useState('');
  const path = { id: assetId };
  const fileId = useId();

  const act = async (work: () => Promise<unknown>) => {
    setError('');
    try {
      await work();
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const upload = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    if (note.trim()) form.append('note', note.trim());
    void act(async () => {
      const res = await fetch(`/api/assets/${assetId}/versions`, { method: 'POST', body: form });
      if (!res.ok)
        throw new Error(((await res.json().catch(() => null))?.error?.message as string) ?? res.statusText);
      setFile(null);
      setNote('');
      setFormKey((k) => k + 1);
    });
  };
  const compare = async (a: number, b: number) => {
    setError('');
    try {
      const diff = await call(client.GET('/api/assets/{id}/compare', { params: { path, query: { a, b } } }));
      setChanges(diff.changes);
      setPair({ a, b });
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const latest = versions.find((v) => v.latest)?.version;

  return (
    <section aria-labelledby="versions-heading">
      <Title order={2} mt="lg" mb="xs" id="versions-heading">
        {t('versions')}
      </Title>
      <ol className="versions">
        {versions.map((v) => (
          <li key={v.version} data-testid="version">
            v{v.version}
            {v.latest ? ' ★' : ''} · {v.by ?? '—'} · {new Date(v.createdAt).toLocaleString()}
            {v.width ? ` · ${v.width}×${v.height}` : ''}
            {v.note ? ` · ${v.note}` : ''}{' '}
            {!v.latest && latest !== undefined && (
              <>
                <Button variant="subtle" size="compact-sm" onClick={() => void compare(v.version, latest)}>
                  {t('compareWithLatest')} <span className="visually-hidden">v{v.version}</span>
                </Button>{' '}
                <Button
                  variant="subtle"
                  size="compact-sm"
                  onClick={() =>
                    void act(() =>
                      call(
                        client.POST('/api/assets/{id}/versions/{version}/restore', {
                          params: { path: { id: assetId, version: v.version } },
                        }),
                      ),
                    )
                  }
                >
                  {t('makeNewest')} <span className="visually-hidden">v{v.version}</span>
                </Button>
              </>
            )}
          </li>
        ))}
      </ol>
      <Group component="form" key={formKey} onSubmit={upload} align="flex-end" aria-label={t('newVersion')}>
        {/* A native file input: the file chooser, and tests give it files by its label. */}
        <Input.Wrapper label={t('newVersion')} labelProps={{ htmlFor: fileId }}>
          <input
            id={fileId}
            className="native-file"
            type="file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </Input.Wrapper>
        <TextInput
          label={t('versionNote')}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Button type="submit" disabled={!file}>
          {t('uploadVersion')}
        </Button>
      </Group>
      <ErrorAlert message={error} />
      {pair && (
        <figure className="compare" data-testid="compare">
          <img
            src={`/api/assets/${assetId}/compare/image?a=${pair.a}&b=${pair.b}`}
            alt={`v${pair.a} | v${pair.b}`}
          />
          <figcaption>
            v{pair.a} ↔ v{pair.b}
            <ul>
              {changes.map((c) => (
                <li key={c.field}>
                  {c.field}: {JSON.stringify(c.a)} → {JSON.stringify(c.b)}
                </li>
              ))}
            </ul>
          </figcaption>
        </figure>
      )}
    </section>
  );
}
