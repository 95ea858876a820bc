import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiToken, call, client, messageOf, type OwnSession } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The signed-in person's own account: password, sessions and API tokens. */
export function AccountPage({ onSignedOut }: { onSignedOut(): void }) {
  const t = useT();
  const [sessions, setSessions] = useState<OwnSession[]>([]);
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const load = useCallback(async () => {
    setSessions((await call(client.GET('/api/auth/sessions'))).sessions);
    setTokens((await call(client.GET('/api/tokens'))).tokens);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const attempt = async (work: () => Promise<void>) => {
    setError('');
    setStatus('');
    try {
      await work();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="account">
      <h1>{t('account')}</h1>
      <ErrorAlert message={error} />
      {status && (
        <p className="status" role="status">
          {status}
        </p>
      )}
      <PasswordForm
        onChanged={() => {
          setError('');
          setStatus(t('passwordChanged'));
          void load();
        }}
        onError={setError}
      />

      <h2>{t('sessions')}</h2>
      <ul data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.id}>
            {s.userAgent ?? '?'} · {s.address ?? '?'} · {t('created')} {when(s.createdAt)} · {t('lastSeen')}{' '}
            {when(s.lastSeenAt)}
            {s.current ? (
              <strong> · {t('thisSession')}</strong>
            ) : (
              <button
                type="button"
                className="link"
                onClick={() =>
                  attempt(async () => {
                    await call(
                      client.DELETE('/api/auth/sessions/{sessionId}', {
                        params: { path: { sessionId: s.id } },
                      }),
                    );
                    await load();
                  })
                }
              >
                {t('revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        onClick={() =>
          attempt(async () => {
            await call(client.DELETE('/api/auth/sessions'));
            onSignedOut();
          })
        }
      >
        {t('signOutEverywhere')}
      </button>

      <h2>{t('apiTokens')}</h2>
      <TokenForm onMade={load} onError={setError} />
      <TokenList tokens={tokens} onChanged={load} onError={setError} />
    </section>
  );
}

function PasswordForm({ onChanged, onError }: { onChanged(): void; onError(message: string): void }) {
  const t = useT();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await call(client.POST('/api/auth/password', { body: { currentPassword, newPassword } }));
      setCurrent('');
      setNew('');
      onChanged();
    } catch (err) {
      onError(messageOf(err));
    }
  };
  return (
    <>
      <h2>{t('changePassword')}</h2>
      <form onSubmit={submit} className="inline-form" aria-label={t('changePassword')}>
        <label>
          {t('currentPassword')}
          <input
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
        </label>
        <label>
          {t('newPassword')}
          <input
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            required
          />
        </label>
        <button type="submit">{t('changePassword')}</button>
      </form>
    </>
  );
}

function TokenForm({ onMade, onError }: { onMade(): void; onError(message: string): void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [made, setMade] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setMade((await call(client.POST('/api/tokens', { body: { name } }))).token);
      setName('');
      onMade();
    } catch (err) {
      onError(messageOf(err));
    }
  };
  return (
    <>
      <form onSubmit={submit} className="inline-form" aria-label={t('apiTokens')}>
        <label>
          {t('name')}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>
        <button type="submit">{t('create')}</button>
      </form>
      {made && (
        <p className="status" role="status">
          {t('tokenShownOnce')}{' '}
          <input readOnly value={made} aria-label="token" size={50} onFocus={(e) => e.target.select()} />
        </p>
      )}
    </>
  );
}

/** Tokens with their dates; live ones can be revoked (by their owner here, or an administrator). */
export function TokenList({
  tokens,
  onChanged,
  onError,
}: {
  tokens: ApiToken[];
  onChanged(): void;
  onError(message: string): void;
}) {
  const t = useT();
  return (
    <ul data-testid="tokens">
      {tokens.map((k) => (
        <li key={k.id}>
          {k.name} · {t('created')} {when(k.createdAt)} · {t('lastUsed')}{' '}
          {k.lastUsedAt ? when(k.lastUsedAt) : t('never')} · {t('expires')} {when(k.expiresAt)}
          {k.revokedAt ? (
            <span> · {t('revoked')}</span>
          ) : (
            <button
              type="button"
              className="link"
              onClick={async () => {
                try {
                  await call(client.DELETE('/api/tokens/{tokenId}', { params: { path: { tokenId: k.id } } }));
                  onChanged();
                } catch (err) {
                  onError(messageOf(err));
                }
              }}
            >
              {t('revoke')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
