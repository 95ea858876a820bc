import { Button, Group, NativeSelect, PasswordInput, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { call, client, messageOf, type ShareLink } from '../api';
import { ErrorAlert, StatusPanel } from '../feedback';
import { useT } from '../i18n';
import { splitList } from '../split-list';

/**
 * Make a share link for these assets (one asset's page, or a collection's items; the URL is shown
 * once), and see and revoke the person's links that carry all of them.
 */
export function SharePanel({ assetIds, renditions }: { assetIds: string[]; renditions: string[] }) {
  const t = useT();
  const [shares, setShares] = useState<ShareLink[]>([]);
  const [rendition, setRendition] = useState(renditions[renditions.length - 1] ?? '');
  useEffect(() => {
    if (!renditions.includes(rendition)) setRendition(renditions[renditions.length - 1] ?? '');
  }, [renditions, rendition]);
  const [permission, setPermission] = useState<ShareLink['permission']>('download');
  const [password, setPassword] = useState('');
  const [days, setDays] = useState('');
  const [emails, setEmails] = useState('');
  const [made, setMade] = useState('');
  const [error, setError] = useState('');
  // The ids as one string: a new array with the same ids does not load the list again.
  const idsKey = assetIds.join(',');
  const load = useCallback(async () => {
    const r = await call(client.GET('/api/shares'));
    const ids = idsKey.split(',');
    setShares(r.shares.filter((s) => ids.every((id) => s.assetIds.includes(id))));
  }, [idsKey]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setMade('');
    try {
      const allowedEmails = splitList(emails);
      const r = await call(
        client.POST('/api/shares', {
          body: {
            assetIds,
            rendition,
            permission,
            ...(password ? { password } : {}),
            ...(days ? { expiresInDays: Number(days) } : {}),
            ...(allowedEmails.length > 0 ? { allowedEmails } : {}),
          },
        }),
      );
      setMade(r.url);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section>
      <Title order={2} mt="lg" mb="xs">
        {t('shares')}
      </Title>
      <Group component="form" onSubmit={create} align="flex-end" aria-label={t('shares')}>
        <NativeSelect
          label={t('rendition')}
          value={rendition}
          onChange={(e) => setRendition(e.currentTarget.value)}
        >
          {renditions.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </NativeSelect>
        <NativeSelect
          aria-label="permission"
          value={permission}
          onChange={(e) => setPermission(e.currentTarget.value === 'view' ? 'view' : 'download')}
        >
          <option>download</option>
          <option>view</option>
        </NativeSelect>
        <PasswordInput
          placeholder={t('password')}
          aria-label={t('password')}
          visibilityToggleButtonProps={{ 'aria-label': t('showPassword') }}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <TextInput
          type="number"
          min={0.01}
          step="any"
          placeholder="days"
          aria-label="days"
          value={days}
          onChange={(e) => setDays(e.currentTarget.value)}
        />
        <TextInput
          placeholder="@partner.com, ann@x.com"
          aria-label="recipients"
          value={emails}
          onChange={(e) => setEmails(e.currentTarget.value)}
        />
        <Button type="submit">{t('create')}</Button>
      </Group>
      <ErrorAlert message={error} />
      {made && (
        <StatusPanel>
          <TextInput readOnly value={made} aria-label="link" onFocus={(e) => e.currentTarget.select()} />
        </StatusPanel>
      )}
      <ul>
        {shares.map((s) => (
          <li key={s.id}>
            {s.rendition} · {s.permission} ·{' '}
            {s.revokedAt ? 'revoked' : `until ${new Date(s.expiresAt).toLocaleString()}`} · {s.downloads}
            {s.maxDownloads !== null ? `/${s.maxDownloads}` : ''} ↓{s.password ? ' · 🔒' : ''}
            {!s.revokedAt && (
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={async () => {
                  await call(client.DELETE('/api/shares/{id}', { params: { path: { id: s.id } } }));
                  await load();
                }}
              >
                revoke
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
