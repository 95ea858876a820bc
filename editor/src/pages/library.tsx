import { Button, Checkbox, Fieldset, TextInput } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { call, client, type Me, messageOf, type SavedSearch, type SearchResult } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';
import { BulkEditPanel } from './bulk-edit-panel';
import { AddToCollection } from './collections';
import { ExportPanel } from './export-panel';
import { ResultsGrid } from './results-grid';
import { InterpretationChips, OpenCollection, SaveSearch, SmartCollectionList } from './smart-collections';
import { UploadPanel } from './upload-panel';

/** Results asked for at a time; more are fetched as the grid nears the end of what it has. */
const PAGE = 100;

/** Where the results shown came from: a search as it ran, or a smart collection. */
type Source =
  | { kind: 'search'; q: string; filters: Record<string, string[]> }
  | { kind: 'collection'; id: string };

/**
 * Search (natural language, with how it was understood), facets, the grid, and batch upload; a
 * search can be saved, and saved ones (the person's and their teams') open as live smart
 * collections, run by the interpretation they were saved with.
 */
export function Library({ me }: { me: Me }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<SearchResult | null>(null);
  const [savedSearches, setSavedSearches] = useState<SavedSearch[]>([]);
  const [collection, setCollection] = useState<SavedSearch | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkMessage, setBulkMessage] = useState('');
  // Assets this page moved to the trash. The workflow answers before the search index drops them,
  // so an answer read just after could still list them: they are left out of every answer shown.
  const trashedHere = useRef(new Set<string>());
  // What the shown answer is of, kept with it: its next page must be asked of the same source
  // even if another search has started meanwhile. Each request has a number; only the latest one
  // started may replace what is shown (an older answer arriving late is dropped).
  const [source, setSource] = useState<Source>({ kind: 'search', q: '', filters: {} });
  const latestRequest = useRef(0);
  /** The search the results are of (the box may have been typed in since). */
  const ran = source.kind === 'search' ? { q: source.q, filters: source.filters } : { q: '', filters: {} };
  // The rule set of every asset shown so far: a selection outlives the search it was made in.
  const ruleSetOf = useRef(new Map<string, string>());
  const show = useCallback((request: number, answer: SearchResult, from: Source) => {
    if (request !== latestRequest.current) return;
    for (const i of answer.items) ruleSetOf.current.set(i.id, i.ruleSet);
    setSource(from);
    setResult({ ...answer, items: answer.items.filter((i) => !trashedHere.current.has(i.id)) });
  }, []);

  const run = useCallback(
    async (q: string, f: Record<string, string[]>) => {
      setCollection(null);
      // The facet filters are families the answer's `facets` named (`colour`, `dim.market`…): each is
      // repeated for OR. The document lists the fixed ones; `dim.<dimension>` ones are open-ended.
      const request = ++latestRequest.current;
      const answer = await call(client.GET('/api/search', { params: { query: { ...f, q, limit: PAGE } } }));
      show(request, answer, { kind: 'search', q, filters: f });
    },
    [show],
  );
  const loadSaved = useCallback(async () => {
    setSavedSearches((await call(client.GET('/api/saved-searches'))).savedSearches);
  }, []);
  /** What the saved search finds now: assets added since it was saved appear. */
  const openCollection = useCallback(
    async (saved: SavedSearch) => {
      setCollection(saved);
      const request = ++latestRequest.current;
      const path = { savedSearchId: saved.id };
      const answer = await call(
        client.GET('/api/saved-searches/{savedSearchId}/results', {
          params: { path, query: { limit: PAGE } },
        }),
      );
      show(request, answer, { kind: 'collection', id: saved.id });
    },
    [show],
  );
  useEffect(() => {
    void run('', {});
    void loadSaved();
  }, [run, loadSaved]);
  const refresh = () => (collection ? openCollection(collection) : run(query, filters));

  /**
   * The next page of what is shown (the search as it ran, or the open smart collection), appended;
   * one request at a time, and none once a new search has replaced the answer it continues.
   */
  const loadingMore = useRef<string | null>(null);
  const more = useCallback(() => {
    const cursor = result?.nextCursor;
    if (!cursor || loadingMore.current === cursor) return;
    loadingMore.current = cursor;
    const next =
      source.kind === 'collection'
        ? call(
            client.GET('/api/saved-searches/{savedSearchId}/results', {
              params: { path: { savedSearchId: source.id }, query: { limit: PAGE, cursor } },
            }),
          )
        : call(
            client.GET('/api/search', {
              params: { query: { ...source.filters, q: source.q, limit: PAGE, cursor } },
            }),
          );
    next
      .then((page) =>
        setResult((current) => {
          if (!current || current.nextCursor !== cursor) return current;
          const have = new Set(current.items.map((i) => i.id));
          const added = page.items.filter((i) => !have.has(i.id) && !trashedHere.current.has(i.id));
          for (const i of added) ruleSetOf.current.set(i.id, i.ruleSet);
          return { ...current, items: [...current.items, ...added], nextCursor: page.nextCursor };
        }),
      )
      .catch((err) => setBulkMessage(messageOf(err)))
      .finally(() => {
        loadingMore.current = null;
      });
  }, [result?.nextCursor, source]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(query, filters);
  };
  const toggleFilter = (family: string, value: string) => {
    const current = filters[family] ?? [];
    const next = {
      ...filters,
      [family]: current.includes(value) ? current.filter((v) => v !== value) : [...current, value],
    };
    if (next[family]!.length === 0) delete next[family];
    setFilters(next);
    void run(query, next);
  };

  const toggleSelected = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  /** Deletes the selection: each asset is decided on its own; the refused ones stay selected. */
  const deleteSelected = async () => {
    try {
      // The API takes 100 ids a request.
      const ids = [...selected];
      const results = [];
      for (let i = 0; i < ids.length; i += 100)
        results.push(
          ...(await call(client.POST('/api/trash', { body: { assetIds: ids.slice(i, i + 100) } }))).results,
        );
      const refused = results.flatMap((r) => (r.ok ? [] : [r]));
      for (const r of results) if (r.ok) trashedHere.current.add(r.assetId);
      setResult(
        (current) =>
          current && { ...current, items: current.items.filter((i) => !trashedHere.current.has(i.id)) },
      );
      setSelected(new Set(refused.map((r) => r.assetId)));
      setBulkMessage(
        refused.length === 0
          ? ''
          : refused
              .map(
                (r) =>
                  `${result?.items.find((i) => i.id === r.assetId)?.name ?? r.assetId}: ${r.error.message}`,
              )
              .join(' · '),
      );
      await refresh();
    } catch (err) {
      setBulkMessage(messageOf(err));
    }
  };

  const interpreted = result?.interpreted;
  return (
    <div className="library">
      <search>
        <form className="search" onSubmit={submit}>
          <TextInput
            type="search"
            aria-label={t('search')}
            placeholder={t('searchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            size="md"
            style={{ flex: 1 }}
          />
          <Button type="submit" size="md">
            {t('search')}
          </Button>
        </form>
        {query && !collection && (
          <SaveSearch
            q={query}
            filters={filters}
            teams={me.teams}
            onSaved={(saved) => {
              void loadSaved();
              void openCollection(saved);
            }}
          />
        )}
      </search>
      {interpreted && query && !collection && (
        <p className="interpreted" data-testid="interpreted">
          {t('understood')}: <InterpretationChips interpreted={interpreted} />
        </p>
      )}
      {collection && (
        <OpenCollection
          saved={collection}
          teams={me.teams}
          onChanged={(saved) => {
            void loadSaved();
            void openCollection(saved);
          }}
          onDeleted={() => {
            void loadSaved();
            void run(query, filters);
          }}
        />
      )}
      <div className="library-body">
        <aside className="facets" aria-label="facets">
          <SmartCollectionList
            items={savedSearches}
            openId={collection?.id}
            onOpen={(saved) => void openCollection(saved)}
          />
          {result && (
            // Beyond the count cap the total and the facet counts are estimates: shown with ≈.
            <p className="count" data-testid="total">
              {`${result.total.exact ? '' : '≈'}${result.total.count}`} {t('matches')}
            </p>
          )}
          {Object.entries(result?.facets ?? {}).map(([family, counts]) => (
            <Fieldset key={family} legend={family} p="xs" mb="sm">
              {Object.entries(counts).map(([value, n]) => (
                <Checkbox
                  key={value}
                  size="xs"
                  my={4}
                  checked={(filters[family] ?? []).includes(value)}
                  onChange={() => toggleFilter(family, value)}
                  label={
                    <>
                      {value} <span className="count">{result?.facetsExact === false ? `≈${n}` : n}</span>
                    </>
                  }
                />
              ))}
            </Fieldset>
          ))}
        </aside>
        <section className="results">
          <UploadPanel onUploaded={() => void refresh()} />
          {result && result.items.length === 0 && <p>{t('noResults')}</p>}
          {(selected.size > 0 || bulkMessage) && (
            <div className="selection-bar">
              <Button
                color="red"
                variant="light"
                disabled={selected.size === 0}
                onClick={() => void deleteSelected()}
              >
                {t('deleteSelected')} ({selected.size})
              </Button>
              <ErrorAlert message={bulkMessage} />
            </div>
          )}
          {selected.size === 0 &&
            !collection &&
            (ran.q.trim() !== '' || Object.keys(ran.filters).length > 0) &&
            result &&
            result.total.count > 0 && (
              <details className="bulk-all">
                <summary>
                  {t('changeAllResults')} ({result.total.exact ? '' : '≈'}
                  {result.total.count})
                </summary>
                <BulkEditPanel
                  key={JSON.stringify(ran)}
                  selection={{ query: ran }}
                  count={result.total.count}
                  names={new Map(result.items.map((i) => [i.id, i.name]))}
                  onFinished={() => void refresh()}
                />
              </details>
            )}
          {selected.size > 0 && <AddToCollection assetIds={[...selected]} />}
          {selected.size > 0 && (
            <ExportPanel
              assetIds={[...selected]}
              ruleSets={[...selected].flatMap((id) => ruleSetOf.current.get(id) ?? [])}
            />
          )}
          {selected.size > 0 && (
            <BulkEditPanel
              selection={{ assetIds: [...selected] }}
              count={selected.size}
              names={new Map((result?.items ?? []).map((i) => [i.id, i.name]))}
              onFinished={() => void refresh()}
            />
          )}
          {result && (
            <ResultsGrid
              items={result.items}
              total={result.total.exact ? result.total.count : -1}
              hasMore={result.nextCursor !== null}
              onMore={more}
              label="results"
              tile={(item) => (
                <>
                  <Checkbox
                    className="pick"
                    aria-label={`${t('select')} ${item.name}`}
                    checked={selected.has(item.id)}
                    onChange={() => toggleSelected(item.id)}
                  />
                  <a href={`#/assets/${item.id}`} data-testid="result">
                    <img
                      src={`/api/assets/${item.id}/thumbnail?v=${item.latestVersion.version}&state=${item.state}`}
                      alt=""
                      loading="lazy"
                    />
                    <span className="name">{item.name}</span>
                    {item.frozen && <span className="badge frozen">{t('frozen')}</span>}
                  </a>
                </>
              )}
            />
          )}
        </section>
      </div>
    </div>
  );
}
