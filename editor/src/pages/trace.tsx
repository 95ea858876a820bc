import { type FormEvent, useState } from 'react';
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
      <h1 id="trace-heading">{t('traceLeak')}</h1>
      <p className="hint">{t('traceHint')}</p>
      <form className="trace-form" onSubmit={submit}>
        <label>
          {t('suspectImage')}{' '}
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          {t('onlyAsset')} <input value={asset} onChange={(e) => setAsset(e.target.value)} size={38} />
        </label>
        <button type="submit" disabled={!file || busy}>
          {busy ? t('tracing') : t('trace')}
        </button>
      </form>
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
      <h2 id="trace-result-heading">{result.found ? t('traceFound') : t('traceNotFound')}</h2>
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
              <a href={`#/assets/${result.match.assetId}`}>{result.match.assetId}</a> v{result.match.version}{' '}
              {result.match.rendition}
            </dd>
          </>
        )}
      </dl>
      {!result.found && <p>{result.message}</p>}
      {result.found && (
        <table className="data-table" data-testid="trace-events">
          <caption>{t('sentTo')}</caption>
          <thead>
            <tr>
              <th>{t('recipient')}</th>
              <th>{t('when')}</th>
              <th>{t('action')}</th>
              <th>{t('rendition')}</th>
              <th>{t('asset')}</th>
            </tr>
          </thead>
          <tbody>
            {result.events.map((e) => (
              <tr key={e.seq}>
                <td>{e.actor}</td>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.action}</td>
                <td>{e.rendition ?? ''}</td>
                <td>{e.assetId && <a href={`#/assets/${e.assetId}`}>{t('open')}</a>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
