// Helpers for the tests of this folder: a fake clock, a loopback HTTP server and an independent
// signature check, written from the signing rules rather than through sign.ts.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Clock, TikTokLogger, TokenProvider } from './types.ts';

/** A clock whose time only moves when something sleeps, so backoff costs no real time. */
export interface FakeClock extends Clock {
  /** Every sleep requested, in ms. */
  sleeps: number[];
  set(ms: number): void;
}

export function createFakeClock(startMs: number): FakeClock {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    set: (ms) => {
      nowMs = ms;
    },
    sleeps,
  };
}

/** A request as the loopback server received it. */
export interface RecordedRequest {
  method: string;
  /** The path as received, base-URL prefix included. */
  path: string;
  /** The raw query string as it arrived, still percent-encoded. */
  rawQuery: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Reply of the loopback server to one request. */
export interface CannedReply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  /** Real time to wait before responding, to provoke client timeouts. */
  delayMs?: number;
}

export interface LoopbackServer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 with a free port; every request is recorded. */
export async function startLoopbackServer(
  reply: (request: RecordedRequest, index: number) => CannedReply,
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        rawQuery: url.search.slice(1),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const canned = reply(recorded, requests.length - 1);
      const send = () => {
        const body =
          typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body ?? {});
        res.writeHead(canned.status ?? 200, {
          'content-type': 'application/json',
          ...canned.headers,
        });
        res.end(body);
      };
      if (canned.delayMs) {
        setTimeout(send, canned.delayMs);
      } else {
        send();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Builds a success envelope around `data`. */
export function okEnvelope(data: unknown, requestId = 'req-ok'): CannedReply {
  return { body: { code: 0, message: 'Success', request_id: requestId, data } };
}

/** Recomputes the sign of a received request, independently of sign.ts. */
export function expectedSign(
  appSecret: string,
  signedPath: string,
  request: RecordedRequest,
): string {
  const pairs = [...request.query.entries()]
    .filter(([key]) => key !== 'sign' && key !== 'access_token')
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([key, value]) => `${key}${value}`)
    .join('');
  const stringToSign = `${appSecret}${signedPath}${pairs}${request.body}${appSecret}`;
  return createHmac('sha256', appSecret).update(stringToSign).digest('hex');
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** Creates a token provider with a fixed token that records refresh calls. */
export function createStaticTokenProvider(
  token: string,
  refreshedToken = `${token}_refreshed`,
): TokenProvider & { refreshCalls: string[] } {
  const refreshCalls: string[] = [];
  let current = token;
  return {
    refreshCalls,
    getAccessToken: async () => current,
    refreshAccessToken: async (expiredToken) => {
      refreshCalls.push(expiredToken);
      current = refreshedToken;
      return current;
    },
  };
}

/** Creates a logger that keeps every line as JSON text, so tests can search it for secrets. */
export function createRecordingLogger(): TikTokLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (fields: object, message: string) => {
    lines.push(JSON.stringify({ level, ...fields, msg: message }));
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
