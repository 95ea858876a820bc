import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { call, client, messageOf, type ShareLink } from '../api';
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
      <h2>{t('shares')}</h2>
      <form onSubmit={create} className="inline-form" aria-label={t('shares')}>
        <label>
          {t('rendition')}
          <select value={rendition} onChange={(e) => setRendition(e.target.value)}>
            {renditions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <select
          aria-label="permission"
          value={permission}
          onChange={(e) => setPermission(e.target.value === 'view' ? 'view' : 'download')}
        >
          <option>download</option>
          <option>view</option>
        </select>
        <input
          type="password"
          placeholder={t('password')}
          aria-label={t('password')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <input
          type="number"
          min={0.01}
          step="any"
          placeholder="days"
          aria-label="days"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <input
          placeholder="@partner.com, ann@x.com"
          aria-label="recipients"
          value={emails}
          onChange={(e) => setEmails(e.target.value)}
        />
        <button type="submit">{t('create')}</button>
      </form>
      {error && <p className="error">{error}</p>}
      {made && (
        <p className="status" role="status">
          <input readOnly value={made} aria-label="link" size={60} onFocus={(e) => e.target.select()} />
        </p>
      )}
      <ul>
        {shares.map((s) => (
          <li key={s.id}>
            {s.rendition} · {s.permission} ·{' '}
            {s.revokedAt ? 'revoked' : `until ${new Date(s.expiresAt).toLocaleString()}`} · {s.downloads}
            {s.maxDownloads !== null ? `/${s.maxDownloads}` : ''} ↓{s.password ? ' · 🔒' : ''}
            {!s.revokedAt && (
              <button
                type="button"
                className="link"
                onClick={async () => {
                  await call(client.DELETE('/api/shares/{id}', { params: { path: { id: s.id } } }));
                  await load();
                }}
              >
                revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
