import type { z } from 'zod';

import { TikTokApiError } from './errors.ts';
import type { ApiResponse } from './http.ts';

/** Parses the `data` of a successful response, throwing PAYLOAD_INVALID with the field paths. */
export function parseResponseData<T extends z.ZodType>(
  schema: T,
  response: ApiResponse,
  path: string,
): z.infer<T> {
  const result = schema.safeParse(response.data ?? {});
  if (result.success) {
    return result.data;
  }
  const issues = result.error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .slice(0, 5)
    .join('; ');
  throw new TikTokApiError({
    kind: 'PAYLOAD_INVALID',
    message: `TikTok response data of ${path} does not match the expected schema: ${issues}`,
    requestId: response.requestId,
    httpStatus: response.httpStatus,
    path,
  });
}

/** Throws REQUEST_INVALID for a caller's argument that TikTok would reject. */
export function invalidArgument(path: string, message: string): TikTokApiError {
  return new TikTokApiError({ kind: 'REQUEST_INVALID', message, path });
}

/** Throws REQUEST_INVALID unless `id` is a non-empty string of digits. */
export function requireNumericId(path: string, label: string, id: unknown): void {
  if (typeof id !== 'string' || !/^\d+$/.test(id)) {
    throw invalidArgument(
      path,
      `${label} ${JSON.stringify(id)} is invalid: expected a string of digits`,
    );
  }
}
