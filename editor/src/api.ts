/** The API from the browser: same origin, session cookie, errors as `ApiError` with the body's code. */
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
  const body = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
  if (!res.ok) {
    throw new ApiError(
      res.status,
      body.error?.code ?? 'HTTP_ERROR',
      body.error?.message ?? res.statusText,
      body.error?.details,
    );
  }
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
      else
        reject(
          new ApiError(
            xhr.status,
            body.error?.code ?? 'HTTP_ERROR',
            body.error?.message ?? xhr.statusText,
            body.error?.details,
          ),
        );
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
