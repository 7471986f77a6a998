// The doors against the operation table: a procedure, a REST route or an OpenAPI operation of a
// batch/job operation that is not generated from the table (a hand-written copy) fails here.
import { API_PREFIX, openApiDocument, ROUTES } from '@event-monitor/rest-adapter';
import { listOperations } from '@event-monitor/contracts';
import { appRouter } from './root';

type ProcedureDef = { _def: { type: string; inputs: unknown[] } };

const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;
const operations = listOperations();
/** The areas the table owns; every procedure under them must come from it. */
const AREAS = ['batch.', 'job.', 'flow.', 'retention.', 'notify.'];
/** The REST routes written by hand: the worker lease protocol, file serving, the document and the streamed export. */
const HAND_WRITTEN = new Set(['claimJob', 'heartbeat', 'reportProgress', 'appendLogs', 'completeJob', 'failJob', 'getFile', 'openApiDocument', 'exportJobs']);

describe('the doors are generated from the operation table', () => {
  it('has the 53 batch, job, flow, retention and notify procedures the typed client uses, and REST-only forms', () => {
    expect(operations.filter((o) => o.procedure).length).toBe(53);
    expect(new Set(operations.map((o) => o.name)).size).toBe(operations.length);
  });

  it('tRPC: every batch/job procedure is an operation of the table, with its kind and input schema', () => {
    const fromRouter = Object.keys(procedures).filter((path) => AREAS.some((area) => path.startsWith(area)));
    expect(fromRouter.sort()).toEqual(operations.flatMap((o) => (o.procedure ? [o.procedure] : [])).sort());
    for (const { procedure, declaration } of operations) {
      if (!procedure) continue;
      const def = (procedures[procedure] as ProcedureDef)._def;
      expect({ procedure, type: def.type }).toEqual({ procedure, type: declaration.kind });
      // The declared schema itself (or its optional form) validates, not a copy.
      const input = def.inputs[0] as { unwrap?: () => unknown } | undefined;
      const used = declaration.inputOptional ? input?.unwrap?.() : input;
      expect({ procedure, same: used === declaration.input }).toEqual({ procedure, same: true });
    }
  });

  it('REST: every route but the hand-written ones is a declared route, with its method, path and scope', () => {
    const declared = operations.flatMap(({ declaration }) => (declaration.rest ?? []).map((rest) => ({ ...rest, scope: declaration.scope })));
    const generated = ROUTES.filter((route) => !HAND_WRITTEN.has(route.operationId));
    expect(generated.map((r) => `${r.method} ${r.path} ${r.operationId} ${r.scope}`).sort()).toEqual(
      declared.map((r) => `${r.method} ${r.path} ${r.operationId} ${r.scope}`).sort(),
    );
    expect(ROUTES.filter((route) => HAND_WRITTEN.has(route.operationId))).toHaveLength(HAND_WRITTEN.size);
  });

  it('OpenAPI: the document has exactly the routes, each declared operation under its path', () => {
    const document = openApiDocument();
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${(op as { operationId: string }).operationId}`),
    );
    const expected = ROUTES.map((r) => {
      const path = r.path.replace(/\{\.\.\.(\w+)\}/g, '{$1}').replace(/\{(\w+):[^}]+\}/g, '{$1}');
      return `${r.method} ${API_PREFIX}/${path} ${r.operationId}`;
    });
    expect(documented.sort()).toEqual(expected.sort());
    for (const { declaration } of operations) {
      for (const rest of declaration.rest ?? []) {
        const path = `${API_PREFIX}/${rest.path.replace(/\{(\w+):[^}]+\}/g, '{$1}')}`;
        const op = document.paths[path]?.[rest.method.toLowerCase()] as { 'x-required-scope'?: string; requestBody?: { required: boolean } };
        expect({ path, scope: op?.['x-required-scope'] }).toEqual({ path, scope: declaration.scope });
        const hasBody = rest.from === 'body' || rest.from === 'optional-body';
        expect({ path, body: op?.requestBody?.required ?? null }).toEqual({ path, body: hasBody ? rest.from === 'body' : null });
      }
    }
  });
});
