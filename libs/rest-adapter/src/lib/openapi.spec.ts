import { call, testHandler } from '../test-support/rest-fixtures';
import type { DomainDeps } from '@event-monitor/domain';
import { openApiPath, pathParamNames } from './route';
import { openApiDocument, ROUTES } from './routes';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: unknown[];
};

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, refs));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') refs.push(inner);
      else collectRefs(inner, refs);
    }
  }
  return refs;
}

function resolvePointer(document: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

describe('OpenAPI document', () => {
  const document = openApiDocument();
  const operation = (path: string, method: string) => document.paths[path]?.[method] as Operation | undefined;

  it('is OpenAPI 3.1.0 with a bearer security scheme', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBeTruthy();
    expect(document.components.securitySchemes['bearer']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.security).toEqual([{ bearer: [] }]);
  });

  it('lists every route of the table once, with its path parameters', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item) as Operation[]);
    expect(operations).toHaveLength(ROUTES.length);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(ROUTES.length);
    for (const def of ROUTES) {
      const op = operation(openApiPath(def), def.method.toLowerCase());
      expect(op?.operationId).toBe(def.operationId);
      const pathParams = (op?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParams).toEqual(pathParamNames(def));
      for (const name of pathParams) expect(openApiPath(def)).toContain(`{${name}}`);
    }
  });

  it('has the concept routes and the worker protocol', () => {
    const expected = [
      ['get', '/api/event-job/batches'],
      ['post', '/api/event-job/batches'],
      ['post', '/api/event-job/batches/fail-all'],
      ['get', '/api/event-job/batches/{batchId}'],
      ['delete', '/api/event-job/batches/{batchId}'],
      ['post', '/api/event-job/batches/{batchId}/archive'],
      ['post', '/api/event-job/batches/{batchId}/toggle-active'],
      ['get', '/api/event-job/jobs'],
      ['post', '/api/event-job/jobs'],
      ['get', '/api/event-job/jobs/{jobId}'],
      ['delete', '/api/event-job/jobs/{jobId}'],
      ['post', '/api/event-job/jobs/{jobId}/restart'],
      ['get', '/api/event-job/files/{path}'],
      ['post', '/api/event-job/{jobId}/restart'],
      ['post', '/api/event-job/worker/claim'],
      ['post', '/api/event-job/worker/jobs/{jobId}/heartbeat'],
      ['post', '/api/event-job/worker/jobs/{jobId}/complete'],
      ['post', '/api/event-job/worker/jobs/{jobId}/fail'],
      ['get', '/api/event-job/openapi.json'],
    ];
    for (const [method, path] of expected) expect({ method, path, found: Boolean(operation(path as string, method as string)) }).toEqual({ method, path, found: true });
  });

  it('request bodies and query parameters come from the zod schemas', () => {
    const claim = operation('/api/event-job/worker/claim', 'post');
    const claimSchema = claim?.requestBody?.content['application/json']?.schema as { properties: Record<string, unknown>; required: string[]; additionalProperties: unknown };
    expect(Object.keys(claimSchema.properties).sort()).toEqual(['job_types', 'lease_seconds', 'wait_seconds', 'worker_id']);
    expect(claimSchema.required).toEqual(['worker_id']);
    expect(claimSchema.additionalProperties).toBe(false);
    expect(claimSchema.properties['wait_seconds']).toMatchObject({ maximum: 30, minimum: 0 });

    const complete = operation('/api/event-job/worker/jobs/{jobId}/complete', 'post');
    const completeSchema = complete?.requestBody?.content['application/json']?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(completeSchema.properties).sort()).toEqual(['claim_next', 'results', 'token']);

    const create = operation('/api/event-job/batches', 'post');
    expect(create?.requestBody?.required).toBe(true);
    expect(JSON.stringify(create?.requestBody)).toContain('target_language');
    expect(operation('/api/event-job/batches/fail-all', 'post')?.requestBody?.required).toBe(false);

    const list = operation('/api/event-job/jobs', 'get');
    expect(list?.parameters?.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(
      [
        'batch_id',
        'created_from',
        'created_to',
        'cursor',
        'direction',
        'error_signature',
        'job_type',
        'language',
        'limit',
        'owner',
        'search',
        'skip',
        'sort',
        'status',
      ].sort(),
    );
    const listData = JSON.stringify(list?.responses['200']);
    for (const field of ['next_cursor', 'total_exact']) expect(listData).toContain(field);
  });

  it('responses use the envelopes, and every $ref resolves', () => {
    const get = operation('/api/event-job/jobs/{jobId}', 'get');
    const schema = get?.responses['200']?.content?.['application/json']?.schema as { properties: Record<string, unknown> };
    expect(schema.properties['status']).toEqual({ const: 'success' });
    expect(JSON.stringify(schema.properties['data'])).toContain('#/components/schemas/Job');
    expect(get?.responses['404']?.$ref).toBe('#/components/responses/Error404');
    expect(operation('/api/event-job/batches', 'post')?.responses['201']).toBeDefined();
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect({ ref, resolved: resolvePointer(document, ref) !== undefined }).toEqual({ ref, resolved: true });
  });

  it('documents 404 where an id comes in the body or query, and 429 on every authenticated call', () => {
    for (const [path, method] of [
      ['/api/event-job/jobs/change-language', 'post'],
      ['/api/event-job/jobs', 'get'],
      ['/api/event-job/batches/stats', 'get'],
    ] as const) {
      const responses = operation(path, method)?.responses ?? {};
      expect({ path, documented: ['404', '429'].filter((code) => code in responses) }).toEqual({ path, documented: ['404', '429'] });
    }
    expect(operation('/api/event-job/openapi.json', 'get')?.responses['429']).toBeUndefined();
  });

  it('is served at openapi.json without credentials', async () => {
    const handler = testHandler({} as DomainDeps, {
      getDomain: () => Promise.reject(new Error('the document needs no database')),
    });
    const res = await call(handler, 'GET', 'openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toContain('/api/event-job/worker/claim');
  });
});
