import { type FormEvent, useState } from 'react';
import { call, client, messageOf } from '../api';
import { ErrorAlert } from '../feedback';
import { LanguageToggle, useT } from '../i18n';

export function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      await call(client.POST('/api/auth/login', { body: { email, password } }));
      onSignedIn();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label={t('signIn')}>
        <h1>{t('appName')}</h1>
        <label>
          {t('email')}
          <input
            name="email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <ErrorAlert message={error} />
        <button type="submit">{t('signIn')}</button>
        <LanguageToggle />
      </form>
    </main>
  );
}
