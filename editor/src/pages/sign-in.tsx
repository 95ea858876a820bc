import { Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
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
      <Paper component="form" onSubmit={submit} aria-label={t('signIn')} shadow="sm" p="xl" radius="md">
        <Stack gap="sm">
          <Title order={1}>{t('appName')}</Title>
          <TextInput
            label={t('email')}
            name="email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            withAsterisk={false}
          />
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('showPassword') }}
            label={t('password')}
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            withAsterisk={false}
          />
          <ErrorAlert message={error} />
          <Button type="submit">{t('signIn')}</Button>
          <LanguageToggle />
        </Stack>
      </Paper>
    </main>
  );
}
