import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** A tile's least width and the gap between tiles, as the `.grid` style draws them (px). */
const TILE_MIN_WIDTH = 160;
const GAP = 16;
/** A row's height before it is measured: a thumbnail, a name on one or two lines. */
const ROW_ESTIMATE = 200;
/** Ask for the next page when the rows drawn come this close to the last one loaded. */
const ROWS_AHEAD = 4;

/**
 * The library's results as a grid that draws only the rows near the window's view
 * (@tanstack/react-virtual on the page's own scroll), so ten thousand results scroll like twenty;
 * as the view nears the last loaded row it asks for the next page. Columns follow the width.
 */
export function ResultsGrid<T extends { id: string }>({
  items,
  total,
  hasMore,
  onMore,
  label,
  tile,
}: {
  items: T[];
  /** How many results there are in all, -1 when only estimated (assistive technology says "item 5 of 10 000"). */
  total: number;
  hasMore: boolean;
  onMore(): void;
  label: string;
  tile(item: T): ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  const [offset, setOffset] = useState(0);

  // Columns follow the grid's width.
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () =>
      setColumns(Math.max(1, Math.floor((element.clientWidth + GAP) / (TILE_MIN_WIDTH + GAP))));
    measure();
    const resized = new ResizeObserver(measure);
    resized.observe(element);
    return () => resized.disconnect();
  }, []);
  // Where the grid starts on the page moves when panels open above it (a selection's actions, an
  // upload): measured after every render, a state change only when it moved.
  useLayoutEffect(() => {
    const top = (box.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    if (Math.abs(top - offset) >= 1) setOffset(top);
  });

  const rows = Math.ceil(items.length / columns);
  const virtualizer = useWindowVirtualizer({
    count: rows,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 3,
    scrollMargin: offset,
    gap: GAP,
  });
  const drawn = virtualizer.getVirtualItems();
  const lastDrawn = drawn.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastDrawn >= rows - ROWS_AHEAD) onMore();
  }, [hasMore, lastDrawn, rows, onMore]);

  // The rows between the list and its items are positioned divs, which a <ul> may not hold: the
  // list and its items are given their roles instead.
  return (
    // biome-ignore lint/a11y/useSemanticElements: see above
    <div
      ref={box}
      className="grid-window"
      role="list"
      aria-label={label}
      style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
    >
      {drawn.map((row) => (
        <div
          key={row.key}
          data-index={row.index}
          ref={virtualizer.measureElement}
          className="grid"
          style={{
            position: 'absolute',
            top: 0,
            left: 0,
            width: '100%',
            transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)`,
            gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
          }}
        >
          {items.slice(row.index * columns, (row.index + 1) * columns).map((item, i) => (
            // biome-ignore lint/a11y/useSemanticElements: a list item inside a row div (see above)
            <div
              key={item.id}
              role="listitem"
              className="grid-item"
              aria-setsize={total}
              aria-posinset={row.index * columns + i + 1}
            >
              {tile(item)}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
