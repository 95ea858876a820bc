import { Button, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { call, client, messageOf, type SimilarAsset } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';

/**
 * "Find similar" on the asset page: asks `GET /api/assets/{id}/similar` when pressed (not on every
 * page load: it is a catalogue-wide lookup) and shows the matches as thumbnails linking to their pages.
 */
export function SimilarPanel({ assetId }: { assetId: string }) {
  const t = useT();
  const [similar, setSimilar] = useState<SimilarAsset[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const find = async () => {
    setBusy(true);
    setError('');
    try {
      const found = await call(
        client.GET('/api/assets/{id}/similar', { params: { path: { id: assetId }, query: { limit: 24 } } }),
      );
      setSimilar(found.similar);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="similar-heading">
      <Title order={2} id="similar-heading">
        {t('similarAssets')}
      </Title>
      <Button variant="default" onClick={() => void find()} disabled={busy}>
        {t('findSimilar')}
      </Button>
      <ErrorAlert message={error} />
      {similar && similar.length === 0 && <Text my="xs">{t('noSimilar')}</Text>}
      {similar && similar.length > 0 && (
        <ul className="similar" data-testid="similar">
          {similar.map((s) => (
            <li key={s.assetId}>
              <a href={`#/assets/${s.assetId}`} title={s.displayName} data-testid="similar-asset">
                <img src={`/api/assets/${s.assetId}/thumbnail`} alt={s.displayName} width={96} height={96} />
                <span>
                  {s.displayName} · {Math.round(s.similarity * 100)} %
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
