import type { ApiErrorBody, ErrorInfo } from '@/lib/dashboard/types';

/** A failed API read: the HTTP status and the server's readable error, kept so the UI can show both. */
export class FetchError extends Error {
  readonly status: number;
  readonly info: ErrorInfo;

  constructor(status: number, info: ErrorInfo) {
    super(info.message);
    this.name = 'FetchError';
    this.status = status;
    this.info = info;
  }
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as { error?: unknown } | null)?.error as Partial<ErrorInfo> | undefined;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/**
 * The one fetcher every SWR hook uses: JSON on success; a FetchError carrying the ApiErrorBody otherwise.
 * A network failure (the dashboard server itself is down) becomes a FetchError with status 0.
 */
export async function fetcher<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new FetchError(0, {
      code: 'INTERNAL',
      message: 'The dashboard server did not answer.',
      hint: 'Check that `npm run dev` (or `npm start`) is still running.',
    });
  }
  if (res.ok) return (await res.json()) as T;
  const body: unknown = await res.json().catch(() => null);
  if (isApiErrorBody(body)) throw new FetchError(res.status, body.error);
  throw new FetchError(res.status, {
    code: 'INTERNAL',
    message: `The dashboard server answered ${res.status} ${res.statusText}.`.replace(/ \.$/, '.'),
  });
}
