import { parseDuration } from '../../clock.js';
import { UsageError } from '../../errors.js';
import type { ActionType } from '../action.js';

const maxTimeoutMs = 120_000;

function urlOf(text: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(text ?? '');
  } catch {
    throw new UsageError(
      `--param url: "${text ?? ''}" is not a URL such as https://example.com/hook`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--param url: only http and https URLs, not ${url.protocol}`);
  }
  return url;
}

function timeoutOf(text: string | undefined): number {
  const ms = parseDuration(text ?? '10s', '--param timeout');
  if (ms <= 0 || ms > maxTimeoutMs) {
    throw new UsageError('--param timeout takes a duration from 1s to 2m, such as 10s');
  }
  return ms;
}

/**
 * `webhook`: a real HTTP POST of the item as JSON. The call is made once the command's
 * transaction has committed (never for a dry run), and its status recorded in a small write of
 * its own: a 2xx is done; any other status, a timeout or a refused connection is failed.
 */
export const webhook: ActionType = {
  name: 'webhook',
  description: 'POST the item as JSON to a URL (after the command commits); its status is logged',
  parameters: [
    { name: 'url', description: 'an http or https URL', required: true },
    { name: 'timeout', description: 'how long to wait for the answer', default: '10s' },
  ],
  check(_session, params) {
    urlOf(params.url);
    timeoutOf(params.timeout);
  },
  run({ item, params, rule }) {
    const url = urlOf(params.url);
    const timeout = timeoutOf(params.timeout);
    const body = JSON.stringify({ rule: rule.id, item });
    return {
      status: 'done',
      detail: `POST ${url.href}`,
      afterCommit: async () => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'crmctl' },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(timeout),
          });
          await response.body?.cancel().catch(() => {});
          const ok = response.status >= 200 && response.status < 300;
          return {
            status: ok ? 'done' : 'failed',
            detail: `POST ${url.href}: HTTP ${response.status}`,
            made: { httpStatus: response.status },
          };
        } catch (error) {
          const name = error instanceof Error ? error.name : '';
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          const why =
            name === 'TimeoutError'
              ? `no answer within ${params.timeout ?? '10s'}`
              : cause === 'ECONNREFUSED'
                ? 'connection refused'
                : (cause ?? (error instanceof Error ? error.message : String(error)));
          return {
            status: 'failed',
            detail: `POST ${url.href}: ${why}`,
            made: { httpStatus: null },
          };
        }
      },
    };
  },
};
