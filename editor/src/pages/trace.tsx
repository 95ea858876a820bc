import { Anchor, Button, Group, Input, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { call, client, messageOf, type TraceResult } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';

/** The types `POST /api/trace` reads; anything else goes as bytes and the server decides. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * For investigators: a leaked picture in, the distribution events whose invisible watermark it
 * carries out — who received it, when, through which link or audience. A crop can be compared with
 * one asset only. The suspect file is sent as it is and is not shown here: user files are never
 * rendered on the app's origin.
 */
export function TracePage() {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [asset, setAsset] = useState('');
  const [result, setResult] = useState<TraceResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const fileId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError('');
    setResult(null);
    try {
      const type = IMAGE_TYPES.has(file.type) ? file.type : 'application/octet-stream';
      const answer = await call(
        client.POST('/api/trace', {
          params: { query: asset.trim() ? { asset: asset.trim() } : {} },
          // The file is the request body, as it is (no JSON, no form).
          body: file as unknown as string,
          bodySerializer: (body) => body,
          headers: { 'Content-Type': type },
        }),
      );
      setResult(answer);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="trace-page" aria-labelledby="trace-heading">
      <Title order={1} id="trace-heading">
        {t('traceLeak')}
      </Title>
      <Text className="hint">{t('traceHint')}</Text>
      <Group component="form" className="trace-form" align="flex-end" onSubmit={submit}>
        {/* A native file input: the file chooser, and tests give it the file by its label. */}
        <Input.Wrapper label={t('suspectImage')} labelProps={{ htmlFor: fileId }}>
          <input
            id={fileId}
            className="native-file"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </Input.Wrapper>
        <TextInput
          label={t('onlyAsset')}
          value={asset}
          onChange={(e) => setAsset(e.currentTarget.value)}
          miw={0}
          w="22rem"
          maw="100%"
        />
        <Button type="submit" disabled={!file || busy}>
          {busy ? t('tracing') : t('trace')}
        </Button>
      </Group>
      <ErrorAlert message={error} />
      {result && <TraceAnswer result={result} />}
    </section>
  );
}

function TraceAnswer({ result }: { result: TraceResult }) {
  const t = useT();
  const confidence = `${Math.round(result.confidence * 100)}%`;
  return (
    <section className="trace-result" aria-labelledby="trace-result-heading" data-testid="trace-result">
      <Title order={2} mt="lg" mb="xs" id="trace-result-heading">
        {result.found ? t('traceFound') : t('traceNotFound')}
      </Title>
      <dl className="facts">
        {result.payload && (
          <>
            <dt>{t('watermark')}</dt>
            <dd>
              <code>{result.payload}</code>
            </dd>
          </>
        )}
        <dt>{t('confidence')}</dt>
        <dd>{confidence}</dd>
        {result.found && (
          <>
            <dt>{t('readHow')}</dt>
            <dd>{result.method === 'blind' ? t('readBlind') : t('readRegistered')}</dd>
          </>
        )}
        {result.match && (
          <>
            <dt>{t('locatedIn')}</dt>
            <dd>
              <Anchor href={`#/assets/${result.match.assetId}`}>{result.match.assetId}</Anchor> v
              {result.match.version} {result.match.rendition}
            </dd>
          </>
        )}
      </dl>
      {!result.found && <p>{result.message}</p>}
      {result.found && (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table className="data-table" data-testid="trace-events" captionSide="top">
            <Table.Caption>{t('sentTo')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('recipient')}</Table.Th>
                <Table.Th>{t('when')}</Table.Th>
                <Table.Th>{t('action')}</Table.Th>
                <Table.Th>{t('rendition')}</Table.Th>
                <Table.Th>{t('asset')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.events.map((e) => (
                <Table.Tr key={e.seq}>
                  <Table.Td>{e.actor}</Table.Td>
                  <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                  <Table.Td>{e.action}</Table.Td>
                  <Table.Td>{e.rendition ?? ''}</Table.Td>
                  <Table.Td>
                    {e.assetId && <Anchor href={`#/assets/${e.assetId}`}>{t('open')}</Anchor>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
