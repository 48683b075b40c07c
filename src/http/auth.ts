import type { FastifyReply, FastifyRequest } from 'fastify';

import { principalFromApiKey, principalFromSession } from '../accounts/accounts.ts';
import type { Principal } from '../accounts/accounts.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';

export const SESSION_COOKIE = 'tts_session';

/** Authenticates a request by API key (`Authorization: Bearer tsk_…`) or session cookie. */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await principalFromApiKey(ctx, match[1]!) : null;
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The API key is invalid or revoked.');
    return principal;
  }
  const token = request.cookies[SESSION_COOKIE];
  const principal = token ? await principalFromSession(ctx, token) : null;
  if (!principal)
    throw new AppError('UNAUTHENTICATED', 'Sign in first, or send an API key as a Bearer token.');
  return principal;
}

export function requireUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') {
    throw new AppError(
      'FORBIDDEN',
      'This endpoint needs a signed-in user; API keys cannot use it.',
    );
  }
  return principal;
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https://'),
    maxAge: Math.floor(ctx.config.sessionTtlMs / 1000),
  });
}
