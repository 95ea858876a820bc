import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api-schema';

/**
 * The API from the browser: same origin, session cookie. Every call goes through `client`, typed
 * by `paths` that openapi-typescript writes from the OpenAPI document (`npm run generate`), so a
 * change to the contract that breaks a page fails `npm run lint`. `call` turns openapi-fetch's
 * `{ data, error, response }` into the data, or throws an `ApiError` with the body's code.
 *
 *   const asset = await call(client.GET('/api/assets/{id}', { params: { path: { id } } }));
 */
export const client = createClient<paths>({ credentials: 'same-origin' });

/** A failed call: the HTTP status and the API's `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What to show a person for a failed call: the API's own message when there is one. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error of a failed response, from the API's `{ error: { code, message } }` body when it has one. */
function toApiError(status: number, statusText: string, body: unknown): ApiError {
  const error = (body as Partial<Schemas['Error']> | null | undefined)?.error;
  return new ApiError(
    status,
    error?.code ?? 'HTTP_ERROR',
    error?.message ?? (statusText || `HTTP ${status}`),
    error?.details ?? {},
  );
}

/** What openapi-fetch answers for one call (its `FetchResponse`). */
type Outcome = { data?: unknown; error?: unknown; response: Response };
type SuccessData<O extends Outcome> = Extract<O, { error?: never }>['data'];
/** The data of the call's successful answers; `undefined` when they have no content (a 204). */
type DataOf<O extends Outcome> = [SuccessData<O>] extends [never] ? undefined : SuccessData<O>;

/** The data of a call to `client`, or its `ApiError`. */
export async function call<O extends Outcome>(pending: Promise<O>): Promise<DataOf<O>> {
  const { data, error, response } = await pending;
  if (!response.ok || error !== undefined) throw toApiError(response.status, response.statusText, error);
  return data as DataOf<O>;
}

type Schemas = components['schemas'];
export type Asset = Schemas['Asset'];
export type SearchHit = Schemas['SearchHit'];
export type SavedSearch = Schemas['SavedSearch'];
export type Collection = Schemas['Collection'];
export type CollectionSummary = Schemas['CollectionSummary'];
export type UploadedAsset = Schemas['UploadedAsset'];
export type DuplicateMatch = Schemas['DuplicateMatch'];
export type SimilarAsset = Schemas['SimilarAsset'];
export type CommentThread = Schemas['CommentThread'];
export type CommentRegion = Schemas['CommentRegion'];
export type Transition = Schemas['Transition'];
export type AuditEvent = Schemas['AuditEvent'];
export type Notification = Schemas['Notification'];
export type TraceResult = Schemas['TraceResult'];
export type RuleSetPlan = Schemas['RuleSetPlan'];
export type RuleSetVersion = Schemas['RuleSetVersion'];
export type User = Schemas['User'];
export type UserSummary = Schemas['UserSummary'];
export type OwnSession = Schemas['OwnSession'];
export type ApiToken = Schemas['ApiToken'];
export type ShareLink = Schemas['ShareLink'];
export type ApprovalTask = Schemas['ApprovalTask'];
export type AssetOutcome = Schemas['AssetOutcome'];
/** The signed-in user (`GET /api/auth/me`). */
export type Me = User;

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R
  : never;
/** A search answer (`GET /api/search`). */
export type SearchResult = JsonOf<Responses<'/api/search', 'get'>[200]>;
/** One version in `GET /api/assets/{id}/versions`. */
export type AssetVersion = JsonOf<Responses<'/api/assets/{id}/versions', 'get'>[200]>['versions'][number];
/** What a download request decided (`POST /api/assets/{id}/download-requests`: 200 or 202). */
export type DownloadDecision =
  | JsonOf<Responses<'/api/assets/{id}/download-requests', 'post'>[200]>
  | JsonOf<Responses<'/api/assets/{id}/download-requests', 'post'>[202]>;
/** The analytics figures (`GET /api/analytics/summary`). */
export type AnalyticsSummary = JsonOf<Responses<'/api/analytics/summary', 'get'>[200]>;
/** Assets unused for N days (`GET /api/analytics/unused`). */
export type UnusedAsset = JsonOf<Responses<'/api/analytics/unused', 'get'>[200]>['items'][number];
/** What `POST /api/assets` answers: the asset for one file, `{ assets }` for several. */
export type UploadResult = JsonOf<Responses<'/api/assets', 'post'>[201]>;

/**
 * A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * Its answer is typed from the document like every other call.
 */
export function uploadWithProgress(
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/assets');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText || 'null');
      } catch {
        // Not JSON (a proxy's page): the status says what happened.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadResult);
      else reject(toApiError(xhr.status, xhr.statusText, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The server could not be reached.'));
    xhr.send(form);
  });
}
