import { Button, Group, PasswordInput, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiToken, call, client, messageOf, type OwnSession } from '../api';
import { ErrorAlert, notifyDone, StatusPanel } from '../feedback';
import { useT } from '../i18n';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The signed-in person's own account: password, sessions and API tokens. */
export function AccountPage({ onSignedOut }: { onSignedOut(): void }) {
  const t = useT();
  const [sessions, setSessions] = useState<OwnSession[]>([]);
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setSessions((await call(client.GET('/api/auth/sessions'))).sessions);
    setTokens((await call(client.GET('/api/tokens'))).tokens);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const attempt = async (work: () => Promise<void>) => {
    setError('');
    try {
      await work();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="account">
      <Title order={1}>{t('account')}</Title>
      <ErrorAlert message={error} />
      <PasswordForm
        onChanged={() => {
          setError('');
          notifyDone(t('passwordChanged'));
          void load();
        }}
        onError={setError}
      />

      <Title order={2} mt="lg">
        {t('sessions')}
      </Title>
      <ul data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.id}>
            {s.userAgent ?? '?'} · {s.address ?? '?'} · {t('created')} {when(s.createdAt)} · {t('lastSeen')}{' '}
            {when(s.lastSeenAt)}
            {s.current ? (
              <strong> · {t('thisSession')}</strong>
            ) : (
              <Button
                variant="subtle"
                size="compact-sm"
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
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Button
        variant="default"
        onClick={() =>
          attempt(async () => {
            await call(client.DELETE('/api/auth/sessions'));
            onSignedOut();
          })
        }
      >
        {t('signOutEverywhere')}
      </Button>

      <Title order={2} mt="lg">
        {t('apiTokens')}
      </Title>
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
      <Title order={2} mt="lg">
        {t('changePassword')}
      </Title>
      <form onSubmit={submit} aria-label={t('changePassword')}>
        <Group align="flex-end" gap="sm">
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('showPassword') }}
            label={t('currentPassword')}
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            required
            withAsterisk={false}
          />
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('showPassword') }}
            label={t('newPassword')}
            autoComplete="new-password"
            minLength={12}
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            required
            withAsterisk={false}
          />
          <Button type="submit">{t('changePassword')}</Button>
        </Group>
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
      <form onSubmit={submit} aria-label={t('apiTokens')}>
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={100}
            required
            withAsterisk={false}
          />
          <Button type="submit">{t('create')}</Button>
        </Group>
      </form>
      {made && (
        <StatusPanel>
          {t('tokenShownOnce')}
          <TextInput
            readOnly
            value={made}
            aria-label="token"
            onFocus={(e) => e.currentTarget.select()}
            mt="xs"
          />
        </StatusPanel>
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
            <Button
              variant="subtle"
              size="compact-sm"
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
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
