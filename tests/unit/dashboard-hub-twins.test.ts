import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DashboardError } from '../../lib/dashboard/errors';
import type { HubClients } from '../../lib/hub/clients';
import { getHubRequestCounts } from '../../lib/hub/metrics';
import { QUERY_PAGE_SIZE, queryTwins } from '../../lib/hub/twins';

/** A Registry stand-in whose query serves `pages`, with the SDK Query's paging fields (wire §2.3). */
function fakeClients(pages: unknown[][], tokens: Array<string | undefined>, seen: { sql?: string; pageSize?: number; calls: number; tokens: Array<string | undefined> }): HubClients {
  const registry = {
    createQuery(sql: string, pageSize: number) {
      seen.sql = sql;
      seen.pageSize = pageSize;
      const query = {
        hasMoreResults: true,
        continuationToken: null as string | null | undefined,
        // Like the SDK's Query: the page is chosen by the token passed in, not by the one it remembers.
        async next(token?: string) {
          seen.tokens.push(token);
          const page = pages[token === undefined ? 0 : Number(token.slice(1))] ?? [];
          query.continuationToken = tokens[seen.calls];
          query.hasMoreResults = query.continuationToken !== undefined;
          seen.calls += 1;
          return { result: page, message: {} };
        },
      };
      return query;
    },
  };
  return { registry, client: {}, target: { kind: 'local', hostName: 'h', connectionString: '', endpoint: {}, key: 'k' } } as unknown as HubClients;
}

const twin = (deviceId: string) => ({ deviceId, connectionState: 'Connected', properties: { reported: {} } });

test('every page of SELECT * FROM devices is read, one request per page', async () => {
  const seen = { calls: 0, tokens: [] } as { sql?: string; pageSize?: number; calls: number; tokens: Array<string | undefined> };
  const before = getHubRequestCounts().queryPages;
  const twins = await queryTwins(fakeClients([[twin('c'), twin('a')], [twin('b')], [twin('d')]], ['t1', 't2', undefined], seen));
  assert.equal(seen.sql, 'SELECT * FROM devices');
  assert.equal(seen.pageSize, QUERY_PAGE_SIZE);
  assert.equal(QUERY_PAGE_SIZE, 1000);
  assert.deepEqual(twins.map((t) => t.deviceId), ['a', 'b', 'c', 'd']);
  assert.equal(seen.calls, 3);
  assert.deepEqual(seen.tokens, [undefined, 't1', 't2'], 'each page asks with the token of the one before');
  assert.equal(getHubRequestCounts().queryPages - before, 3);
});

test('an empty continuation token ends the loop instead of restarting the query (wire §2.3)', async () => {
  const seen = { calls: 0, tokens: [] };
  const twins = await queryTwins(fakeClients([[twin('a')], [twin('a')]], ['', ''], seen));
  assert.equal(seen.calls, 1);
  assert.equal(twins.length, 1);
});

test('a failing page becomes a DashboardError', async () => {
  const clients = fakeClients([], [], { calls: 0, tokens: [] });
  (clients.registry as unknown as { createQuery: () => unknown }).createQuery = () => ({
    next: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    },
  });
  await assert.rejects(queryTwins(clients), (err: unknown) => err instanceof DashboardError && err.code === 'HUB_UNREACHABLE');
});
