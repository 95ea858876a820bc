/** The API from the browser: same origin, session cookie, errors as `ApiError` with the body's code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(status, error?.code ?? 'HTTP_ERROR', error?.message ?? statusText);
}

/**
 * A call to the API. `json` sends a JSON body (POST unless `method` says otherwise); any other
 * `body` (e.g. a YAML string) is sent as it is, with the caller's `Content-Type`.
 */
export async function api<T = unknown>(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<T> {
  const { json, headers, ...rest } = init;
  const res = await fetch(path, {
    credentials: 'same-origin',
    ...rest,
    ...(json !== undefined ? { method: rest.method ?? 'POST', body: JSON.stringify(json) } : {}),
    headers: { ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
  });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) throw toApiError(res.status, res.statusText, body);
  return body as T;
}

/** A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function uploadWithProgress(form: FormData, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/assets');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}');
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(toApiError(xhr.status, xhr.statusText, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The server could not be reached.'));
    xhr.send(form);
  });
}

export interface Me {
  id: string;
  email: string;
  name: string;
  roles: string[];
  teams: string[];
}
