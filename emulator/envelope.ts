import type { FastifyReply } from 'fastify';

import type { TikTokApiError } from './errors.ts';
import type { Random } from './random.ts';

/** Creates a request id shaped like TikTok's: UTC date and time, then 20 hex digits. */
export function newRequestId(nowMs: number, random: Random): string {
  const stamp = new Date(nowMs).toISOString().replace(/\D/g, '').slice(0, 14);
  let hex = '';
  for (let i = 0; i < 20; i++) hex += random.int(0, 15).toString(16).toUpperCase();
  return stamp + hex;
}

/** Sends a successful `{code, message, request_id, data}` envelope. */
export function sendData(reply: FastifyReply, requestId: string, data: object): FastifyReply {
  return reply
    .code(200)
    .type('application/json')
    .send(JSON.stringify({ code: 0, message: 'Success', request_id: requestId, data }));
}

/** Sends an error envelope with the error's TikTok code and HTTP status. */
export function sendError(
  reply: FastifyReply,
  requestId: string,
  error: TikTokApiError,
): FastifyReply {
  const body = { code: error.code, message: error.message, request_id: requestId, data: null };
  return reply.code(error.httpStatus).type('application/json').send(JSON.stringify(body));
}
