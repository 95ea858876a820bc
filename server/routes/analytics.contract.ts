import { operation } from '../contract/operation';
import {
  Closed,
  calendarDay,
  component,
  Nullable,
  StringEnum,
  Timestamp,
  Type,
  Uuid,
} from '../contract/schema';
import { assetParams } from './assets.contract';

const Tag = 'Analytics';
/** A calendar day, YYYY-MM-DD; the format checks that it exists (2024-13-45 does not). */
const day = calendarDay;
const Day = day();
const count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
const Count = count();

const WindowQuery = {
  from: Type.Optional(day('From this day (UTC), inclusive')),
  to: Type.Optional(day('To this day (UTC), inclusive')),
};
const LimitQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'At most this many rows' }),
  ),
};
const FormatQuery = {
  format: Type.Optional(
    StringEnum(['json', 'csv'], { description: '`csv`: a CSV download (formulas escaped)' }),
  ),
};

/** The window asked for, as days; null where open. */
const UsageWindow = component('UsageWindow', Closed({ from: Nullable(Day), to: Nullable(Day) }));

const counts = {
  views: count('Link pages opened and renditions shown inline'),
  downloads: count('Files that left, through a link or an audience'),
  shares: count('Links made'),
  exports: count('Channel export files'),
};
const UsageCounts = component('UsageCounts', Closed(counts));

const AssetUsage = component(
  'AssetUsage',
  Closed({ assetId: Uuid, name: Type.String(), ...counts, lastUsedAt: Nullable(Timestamp) }),
);

export const getAnalyticsSummary = operation({
  method: 'get',
  path: '/api/analytics/summary',
  operationId: 'getAnalyticsSummary',
  tag: Tag,
  summary: 'Totals, per period, per channel, the 10 most used assets and the reuse rate; analysts',
  description:
    'Computed from the distribution trail: views are link pages opened and renditions shown inline, ' +
    'downloads files that left, shares links made, exports channel files. The reuse rate is the share ' +
    'of used assets used in more than one context (a link, a channel, a download audience).',
  query: Type.Object({
    ...WindowQuery,
    period: Type.Optional(StringEnum(['day', 'week', 'month'], { default: 'month' })),
  }),
  responses: {
    200: {
      description: 'The figures',
      json: Closed({
        window: UsageWindow,
        totals: UsageCounts,
        period: StringEnum(['day', 'week', 'month']),
        byPeriod: Type.Array(
          Closed({
            period: day('The first day of the period'),
            ...counts,
            used: count('Assets used from the window\u2019s start to this period\u2019s end'),
            reused: count('Of those, assets used in more than one context: reuse over time'),
          }),
        ),
        byChannel: Type.Array(
          Closed({
            channel: Type.String({
              description:
                '`audience:<name>` for downloads, `channel:<name>` for exports, `link` for share links',
            }),
            downloads: Count,
            exports: Count,
          }),
        ),
        mostUsed: Type.Array(AssetUsage),
        reuse: Closed({ used: Count, reused: Count, rate: Type.Number({ minimum: 0, maximum: 1 }) }),
      }),
    },
  },
});

export const getAssetUsage = operation({
  method: 'get',
  path: '/api/analytics/assets',
  operationId: 'getAssetUsage',
  tag: Tag,
  summary: 'Usage per asset, most used first; analysts',
  query: Type.Object({ ...WindowQuery, ...LimitQuery, ...FormatQuery }),
  responses: {
    200: {
      description: 'The rows as JSON, or as CSV with `?format=csv`',
      json: Closed({ items: Type.Array(AssetUsage) }),
      file: ['text/csv'],
    },
  },
});

export const getUnusedAssets = operation({
  method: 'get',
  path: '/api/analytics/unused',
  operationId: 'getUnusedAssets',
  tag: Tag,
  summary: 'Assets not used for N days: candidates for cold storage; analysts',
  description: 'Never-used assets count from their upload; oldest first. Purged assets are left out.',
  query: Type.Object({
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 36_500, default: 90, description: 'Unused for this many days' }),
    ),
    today: Type.Optional(
      Type.String({
        description: 'Count back from this day (YYYY-MM-DD) instead of today; anything else is ignored',
      }),
    ),
    ...LimitQuery,
    ...FormatQuery,
  }),
  responses: {
    200: {
      description: 'The rows as JSON, or as CSV with `?format=csv`',
      json: Closed({
        items: Type.Array(
          Closed({
            assetId: Uuid,
            name: Type.String(),
            lastUsedAt: Nullable(Timestamp),
            createdAt: Timestamp,
            tier: StringEnum(['hot', 'cold']),
          }),
        ),
      }),
      file: ['text/csv'],
    },
  },
});

export const getAssetAnalytics = operation({
  method: 'get',
  path: '/api/assets/{id}/analytics',
  operationId: 'getAssetAnalytics',
  tag: Tag,
  summary: 'An asset\u2019s views, downloads, shares, exports and last use',
  params: assetParams,
  query: Type.Object(WindowQuery),
  responses: {
    200: {
      description: 'Its figures',
      json: Closed({ assetId: Uuid, window: UsageWindow, ...counts, lastUsedAt: Nullable(Timestamp) }),
    },
  },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

export const analyticsOperations = [getAnalyticsSummary, getAssetUsage, getUnusedAssets, getAssetAnalytics];
