import { type PointerEvent, useRef, useState } from 'react';
import type { CommentRegion } from '../api';

/** A comment's region on the picture, as the API keeps it. */
export type Region = CommentRegion;

/**
 * The asset's picture with the comments' regions drawn on it; drag to mark a rectangle (or click
 * for a point) for the next comment. Coordinates are fractions of the picture, as the API keeps them.
 */
export function RegionPicker({
  src,
  alt,
  regions,
  value,
  onChange,
}: {
  src: string;
  alt: string;
  regions: Array<{ id: string; region: Region; label: string }>;
  value: Region | null;
  onChange(region: Region | null): void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [start, setStart] = useState<{ x: number; y: number } | null>(null);
  const at = (e: PointerEvent) => {
    const r = box.current!.getBoundingClientRect();
    const clamp = (n: number) => Math.min(1, Math.max(0, n));
    return { x: clamp((e.clientX - r.left) / r.width), y: clamp((e.clientY - r.top) / r.height) };
  };
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return (
    <div
      ref={box}
      className="region-picker"
      role="img"
      aria-label={alt}
      onPointerDown={(e) => {
        e.preventDefault();
        setStart(at(e));
      }}
      onPointerUp={(e) => {
        if (!start) return;
        const end = at(e);
        const width = Math.abs(end.x - start.x);
        const height = Math.abs(end.y - start.y);
        onChange(
          width < 0.01 && height < 0.01
            ? { kind: 'point', x: round(start.x), y: round(start.y) }
            : {
                kind: 'rect',
                x: round(Math.min(start.x, end.x)),
                y: round(Math.min(start.y, end.y)),
                width: round(width),
                height: round(height),
              },
        );
        setStart(null);
      }}
    >
      <img src={src} alt="" draggable={false} />
      {regions.map((r) => (
        <Mark key={r.id} region={r.region} title={r.label} className="existing" />
      ))}
      {value && <Mark region={value} title="new" className="pending" />}
    </div>
  );
}

function Mark({ region, title, className }: { region: Region; title: string; className: string }) {
  const style =
    region.kind === 'rect'
      ? {
          left: `${region.x * 100}%`,
          top: `${region.y * 100}%`,
          width: `${region.width * 100}%`,
          height: `${region.height * 100}%`,
        }
      : { left: `${region.x * 100}%`, top: `${region.y * 100}%`, width: '10px', height: '10px' };
  return <span className={`region ${region.kind} ${className}`} style={style} title={title} />;
}
