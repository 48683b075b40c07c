import type { ApiErrorBody } from '../../src/http/api-types.ts';

/** Error raised for a non-2xx response, carrying the server's message and request id. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, requestId: string | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Registers a callback run whenever any request returns 401, so the app can show sign-in. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy or a crash can return HTML or nothing, so fall back to the status line.
  }
  if (isErrorBody(body)) {
    const { code, message, requestId } = body.error;
    return new ApiError(response.status, code, message, requestId ?? null);
  }
  const text = response.statusText || 'Request failed';
  return new ApiError(response.status, 'http_error', `${text} (HTTP ${response.status})`, null);
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Set for GET /me, whose 401 is the normal signed-out state rather than an expired session. */
  quietUnauthorized?: boolean;
}

/** Sends a JSON request to the API and returns the parsed body, or undefined for 202/204. */
export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  const response = await fetch(`/api/v1${path}`, init);
  if (!response.ok) {
    if (response.status === 401 && !options.quietUnauthorized) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw await toApiError(response);
  }
  if (response.status === 202 || response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('GET', path, { signal });
}

export function apiPost<T>(path: string, body?: unknown): Promise<T> {
  return apiRequest<T>('POST', path, { body: body ?? {} });
}

export function apiPut<T>(path: string, body: unknown): Promise<T> {
  return apiRequest<T>('PUT', path, { body });
}

export function apiPatch<T>(path: string, body: unknown): Promise<T> {
  return apiRequest<T>('PATCH', path, { body });
}

export function apiDelete(path: string): Promise<void> {
  return apiRequest<void>('DELETE', path);
}

/** Returns the text to show the user for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Encodes one path segment, since ids come from TikTok and may contain any character. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
