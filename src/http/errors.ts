import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

import { AppError } from '../shared/errors.ts';
import { TikTokApiError } from '../tiktok/index.ts';
import type { ApiErrorBody } from './api-types.ts';

/** Converts any thrown error into `{ error: { code, message, requestId, details } }`. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const requestId = String(request.id);
  let status = 500;
  let body: ApiErrorBody;
  if (error instanceof AppError) {
    status = error.httpStatus;
    body = {
      error: { code: error.code, message: error.message, requestId, details: error.details },
    };
  } else if (error instanceof TikTokApiError) {
    const isAuthCode = error.kind === 'AUTH_CODE_INVALID';
    status = isAuthCode ? 400 : 502;
    body = {
      error: {
        code: isAuthCode ? 'VALIDATION_FAILED' : 'TIKTOK_ERROR',
        message: isAuthCode
          ? 'TikTok rejected the authorization code: it is invalid, used or older than 30 minutes. Connect the shop again.'
          : `TikTok Shop answered ${error.kind} (code ${error.code ?? 'none'}): ${error.message}`,
        requestId,
        details: { kind: error.kind, tiktokCode: error.code, tiktokRequestId: error.requestId },
      },
    };
  } else if (error instanceof ZodError) {
    status = 400;
    body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: error.issues
          .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
          .join('; '),
        requestId,
        details: { issues: error.issues.map(({ path, message }) => ({ path, message })) },
      },
    };
  } else if (isFastifyClientError(error)) {
    status = error.statusCode!;
    body = {
      error: {
        code: status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED',
        message: error.message,
        requestId,
      },
    };
  } else {
    body = {
      error: {
        code: 'INTERNAL',
        message: 'Internal error; see the server log for this request id.',
        requestId,
      },
    };
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.error.code, status }, 'request rejected');
  void reply.status(status).send(body);
}

function isFastifyClientError(error: unknown): error is FastifyError {
  const statusCode = (error as FastifyError | undefined)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}
