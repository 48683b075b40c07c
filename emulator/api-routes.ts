import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { API_ENDPOINTS } from './api-endpoints.ts';
import type { ApiEndpoint } from './api-endpoints.ts';
import type { EmulatorContext } from './context.ts';
import { newRequestId, sendData, sendError } from './envelope.ts';
import { TIKTOK_CODES, TikTokApiError, invalidParam } from './errors.ts';
import {
  checkAccessToken,
  checkContentType,
  checkShopCipher,
  checkSignedRequest,
} from './request-checks.ts';
import type { ApiRequestParts } from './request-checks.ts';

/** Registers one catch-all route that serves every business endpoint under the plugin's prefix. */
export function registerApiRoutes(instance: FastifyInstance, context: EmulatorContext): void {
  const prefix = instance.prefix;
  instance.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: '/*',
    handler: (request, reply) => handleApiRequest(context, prefix, request, reply),
  });
}

async function handleApiRequest(
  context: EmulatorContext,
  prefix: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const requestId = newRequestId(context.clock.now(), context.random);
  try {
    const parts = requestParts(prefix, request);
    const { endpoint, pathParams } = findEndpoint(request.method, parts.path);
    const data = await runEndpoint(context, endpoint, pathParams, parts);
    return sendData(reply, requestId, data);
  } catch (error) {
    if (!(error instanceof TikTokApiError)) throw error;
    context.logger?.debug(
      { requestId, code: error.code, method: request.method },
      'API call rejected',
    );
    return sendError(reply, requestId, error);
  }
}

/** Splits the URL into the signed path, with the proxy prefix removed, and the query. */
function requestParts(prefix: string, request: FastifyRequest): ApiRequestParts {
  const [rawPath = '', rawQuery = ''] = request.url.split('?', 2);
  const path = prefix && rawPath.startsWith(prefix) ? rawPath.slice(prefix.length) : rawPath;
  const body = request.body;
  const header = request.headers['x-tts-access-token'];
  return {
    path,
    query: new URLSearchParams(rawQuery),
    contentType: request.headers['content-type'],
    accessToken: Array.isArray(header) ? header[0] : header,
    rawBody: Buffer.isBuffer(body) && body.length > 0 ? body : undefined,
  };
}

/** Matches a path against an endpoint path with `{name}` segments and returns their values. */
export function matchPathTemplate(
  template: string,
  path: string,
): Record<string, string> | undefined {
  const templateParts = template.split('/');
  const pathParts = path.split('/');
  if (templateParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < templateParts.length; i++) {
    const expected = templateParts[i]!;
    const actual = pathParts[i]!;
    const name = /^\{(\w+)\}$/.exec(expected)?.[1];
    if (name !== undefined && actual !== '') params[name] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}

/**
 * Finds the endpoint of a call. A literal path wins over a template, so that
 * `GET /product/202309/products/search` is a wrong method rather than a product id "search".
 */
function findEndpoint(
  method: string,
  path: string,
): { endpoint: ApiEndpoint; pathParams: Record<string, string> } {
  const literal = API_ENDPOINTS.filter((e) => e.path === path);
  const candidates =
    literal.length > 0
      ? literal.map((endpoint) => ({ endpoint, pathParams: {} }))
      : API_ENDPOINTS.flatMap((endpoint) => {
          const pathParams = matchPathTemplate(endpoint.path, path);
          return pathParams ? [{ endpoint, pathParams }] : [];
        });
  const found = candidates.find((candidate) => candidate.endpoint.method === method);
  if (found) return found;
  if (candidates.length > 0) {
    throw new TikTokApiError(
      TIKTOK_CODES.INVALID_METHOD,
      `method ${method} is invalid for ${path}`,
      405,
    );
  }
  // Same category and resource under another version: the version is retired or unknown.
  const unversioned = path.replace(/^\/([a-z_]+)\/\d{6}\//, '/$1/*/');
  if (
    unversioned !== path &&
    API_ENDPOINTS.some(
      (e) => matchPathTemplate(e.path.replace(/\/\d{6}\//, '/*/'), unversioned) !== undefined,
    )
  ) {
    throw new TikTokApiError(
      TIKTOK_CODES.INVALID_VERSION,
      `the API version in ${path} is invalid`,
      404,
    );
  }
  throw new TikTokApiError(TIKTOK_CODES.INVALID_PATH, `path ${path} is invalid: no such API`, 404);
}

async function runEndpoint(
  context: EmulatorContext,
  endpoint: ApiEndpoint,
  pathParams: Record<string, string>,
  parts: ApiRequestParts,
): Promise<object> {
  const app = checkSignedRequest(context, parts);
  checkContentType(parts.contentType);
  const grant = checkAccessToken(context, app, parts.accessToken);
  const shop = checkShopCipher(context, grant, endpoint.shopCipher, parts.query.get('shop_cipher'));

  const rateKey = `${app.appKey}|${shop?.id ?? '-'}|${endpoint.path}`;
  if (!context.rateLimiter.tryAcquire(rateKey, context.clock.now())) {
    throw new TikTokApiError(
      TIKTOK_CODES.TOO_MANY_REQUESTS,
      'Too many requests: slow down and retry',
      429,
    );
  }
  await applyApiFaults(context, parts.path, endpoint.path);

  return endpoint.handle(context, {
    app,
    grant,
    shop,
    query: parts.query,
    pathParams,
    body: parseJsonBody(parts.rawBody),
  });
}

async function applyApiFaults(
  context: EmulatorContext,
  path: string,
  template: string,
): Promise<void> {
  const effect = context.faults.evaluateApiCall(path, template);
  if (effect.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, effect.latencyMs));
  if (effect.rejection === 'rate_limit') {
    throw new TikTokApiError(
      TIKTOK_CODES.TOO_MANY_REQUESTS,
      'Too many requests: slow down and retry',
      429,
    );
  }
  if (effect.rejection !== undefined) {
    throw new TikTokApiError(
      TIKTOK_CODES.INTERNAL_ERROR,
      'Internal error: retry later',
      effect.rejection,
    );
  }
}

function parseJsonBody(rawBody: Buffer | undefined): unknown {
  if (rawBody === undefined) return undefined;
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw invalidParam('the request body is not valid JSON');
  }
}
