import type { FastifyInstance } from 'fastify';
import { malformed, takeMalformedPage } from '../../sandbox-kit/faults.js';
import { invalidContent, invalidParameter, sendError } from './errors.js';
import { collectionBody, pagingParams } from './paging.js';
import { runSuiteQL, SuiteQLQueryError } from './suiteql/engine.js';
import type { RecordType } from './records.js';
import { originOf, type SandboxState } from './state.js';

/**
 * `POST /services/rest/query/v1/suiteql?limit=&offset=` with `Prefer: transient` and `{"q": "…"}`
 * (docs: "Executing SuiteQL Queries Through REST Web Services", section_157909186990). Rows carry
 * `links: []` and lowercase column names; every value is a string.
 */
export function registerSuiteQLRoutes(app: FastifyInstance, state: SandboxState, touch: (type: RecordType, id: string, note: string) => void): void {
  app.post<{ Querystring: Record<string, string>; Body: unknown }>('/services/rest/query/v1/suiteql', async (request, reply) => {
    if (!String(request.headers.prefer ?? '').toLowerCase().includes('transient')) {
      return sendError(reply, 400, [{ detail: 'The request header Prefer must be set to transient for SuiteQL queries.', 'o:errorCode': 'INVALID_HEADER', 'o:errorHeader': 'Prefer' }]);
    }
    const body = request.body as { q?: unknown } | undefined;
    if (typeof body?.q !== 'string' || body.q.trim() === '') return sendError(reply, 400, [invalidContent('Invalid content in the request body: the query "q" is missing.', 'q')]);
    const paging = pagingParams(request.query);
    if ('error' in paging) return sendError(reply, 400, [paging.error]);
    let result;
    try {
      result = runSuiteQL(state.store, body.q, { ...paging, offsetMinutes: state.sessionUtcOffsetMinutes });
    } catch (error) {
      if (error instanceof SuiteQLQueryError) return sendError(reply, 400, [invalidParameter(`Invalid search query. Detailed unprocessed description follows. ${error.message}`, 'q')]);
      throw error;
    }
    const items = result.items.map((row) => ({ links: [], ...row }));
    const json = JSON.stringify(collectionBody(`${originOf(request)}/services/rest/query/v1/suiteql`, paging, items, result.totalResults, result.hasMore));
    mutateAfterPage(state, touch, result.recordType, result.items[0]?.id);
    return reply.header('content-type', 'application/vnd.oracle.resource+json; type=collection').send(takeMalformedPage(state.faults) ? malformed(json) : json);
  });
}

/** "Records changing while a sync pages through them": touch the first record of the page just served. */
function mutateAfterPage(state: SandboxState, touch: (type: RecordType, id: string, note: string) => void, type: RecordType | undefined, id: string | undefined): void {
  if (state.faults.mutateDuringPaging <= 0 || !type || !id || !state.store.get(type, id)) return;
  state.faults.mutateDuringPaging--;
  touch(type, id, 'Changed while a sync was paging');
}
