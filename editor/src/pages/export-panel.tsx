import { Box, Button, Group, NativeSelect } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call, client, messageOf } from '../api';
import { ErrorAlert, notifyDone } from '../feedback';
import { useT } from '../i18n';

/**
 * Channel export of a selection: the channels the selected assets' rule sets define (amazon,
 * tiktok…), and one zip of each asset's renditions for the chosen channel with a manifest that
 * lists the assets that did not qualify and why (`POST /api/exports`). The zip is saved as a file.
 */
export function ExportPanel({ assetIds, ruleSets }: { assetIds: string[]; ruleSets: string[] }) {
  const t = useT();
  const [channels, setChannels] = useState<string[]>([]);
  const [channel, setChannel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const names = [...new Set(ruleSets)].sort().join(',');

  useEffect(() => {
    let current = true;
    Promise.all(
      names
        .split(',')
        .filter(Boolean)
        .map((name) => call(client.GET('/api/rule-sets/{name}', { params: { path: { name } } }))),
    )
      .then((sets) => {
        if (!current) return;
        const found = [
          ...new Set(sets.flatMap((s) => Object.keys(s.latest.plan.distribute.channels))),
        ].sort();
        setChannels(found);
        setChannel((chosen) => (found.includes(chosen) ? chosen : (found[0] ?? '')));
      })
      .catch(() => current && setChannels([]));
    return () => {
      current = false;
    };
  }, [names]);

  if (channels.length === 0) return null;
  const exportNow = async () => {
    setBusy(true);
    setError('');
    try {
      const zip = await call(client.POST('/api/exports', { body: { assetIds, channel }, parseAs: 'blob' }));
      const file = `${channel}-export.zip`;
      const url = URL.createObjectURL(zip as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      // Some browsers read the file after the click returns: the URL is freed a while later.
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      notifyDone(`${t('exportSaved')} ${file}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box className="export-panel" my="xs">
      <Group gap="sm" align="flex-end">
        <NativeSelect
          label={t('channel')}
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value)}
        >
          {channels.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </NativeSelect>
        <Button variant="default" disabled={busy || !channel} onClick={() => void exportNow()}>
          {t('exportForChannel')} ({assetIds.length})
        </Button>
      </Group>
      <ErrorAlert message={error} />
    </Box>
  );
}
