import { z } from 'zod';
import { ErrorEnvelopeJson } from './response.schemas';
import { openApiPath, pathParamNames, type RouteDef } from './route';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  security: Record<string, string[]>[];
}

const TAGS = [
  { name: 'Batches', description: 'Batches of jobs: list, create, archive, activate, restart, bulk operations' },
  { name: 'Jobs', description: 'Single jobs: list, create, restart, cancel, delete, logs' },
  { name: 'Notifications', description: 'Webhook (and e-mail) subscriptions to batch, job and worker events; signed deliveries and their log' },
  { name: 'Worker', description: 'The lease protocol for workers (token scope `worker`)' },
  { name: 'Files', description: 'Result files of jobs under EVENT_FILES_DIR' },
  { name: 'Meta', description: 'This document' },
];

const ERRORS: Record<number, string> = {
  400: 'Validation failed (details.fieldErrors names each field) or malformed JSON',
  401: 'No or invalid credentials',
  403: 'Missing token scope or not allowed on this object',
  404: 'Not found (or not readable by you)',
  405: 'Method not allowed (see Allow)',
  409: 'Illegal state transition, concurrent change or stale lease token',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'A domain limit was exceeded, or an Idempotency-Key was reused with another request',
  429: 'Rate limited',
  500: 'Internal error (no details)',
  503: 'Database unavailable',
};

/**
 * Converts zod schemas to JSON Schema 2020-12 and moves named sub-schemas (`.meta({id})`) into
 * components, rewriting their references.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    const { $defs, ...rest } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    delete rest['$schema'];
    for (const [name, def] of Object.entries($defs ?? {})) this.components[name] ??= rewriteRefs(def) as JsonSchema;
    return rewriteRefs(rest) as JsonSchema;
  }
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof inner === 'string' ? inner.replace(/^#\/\$defs\//, '#/components/schemas/') : rewriteRefs(inner);
  }
  return out;
}

function envelope(data: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['status', 'data', 'message'],
    properties: { status: { const: 'success' }, data, message: { type: 'string' } },
  };
}

function operation(def: RouteDef, schemas: SchemaCollector): Record<string, unknown> {
  const parameters: unknown[] = pathParamNames(def).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    ...(def.path.includes(`{...${name}}`) ? { description: 'The rest of the path, slashes included' } : {}),
  }));
  if (def.query) {
    const query = schemas.convert(def.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  for (const header of def.headers ?? []) {
    parameters.push({ name: header.name, in: 'header', required: false, description: header.description, schema: header.schema });
  }
  const status = String(def.successStatus ?? 200);
  const success = def.raw
    ? {
        description: def.raw.description,
        content: Object.fromEntries([def.raw.contentType, ...(def.raw.moreContentTypes ?? [])].map((type) => [type, { schema: {} }])),
      }
    : {
        description: 'Success',
        content: { 'application/json': { schema: envelope(def.response ? schemas.convert(def.response, 'output') : {}) } },
      };
  // Ids also come in bodies and queries (change-language targets, a job's batch_id, the list
  // filter), so every authenticated call may answer 404; and every token may be rate limited.
  const errorStatuses = [
    ...(def.scope === 'public' ? [] : [401, 403]),
    ...(def.body || def.query ? [400] : []),
    ...(def.body ? [413, 415] : []),
    ...(def.path.includes('{') || def.scope !== 'public' ? [404] : []),
    ...(def.method === 'POST' || def.method === 'DELETE' ? [409] : []),
    ...(def.headers?.some((header) => header.name === 'Idempotency-Key') ? [422] : []),
    ...(def.scope === 'public' ? [] : [429, 500, 503]),
  ];
  const responses: Record<string, unknown> = { [status]: success };
  for (const code of errorStatuses) {
    responses[String(code)] = { $ref: `#/components/responses/Error${code}` };
  }
  return {
    operationId: def.operationId,
    summary: def.summary,
    ...(def.description ? { description: def.description } : {}),
    tags: [def.tag],
    ...(def.deprecated ? { deprecated: true } : {}),
    ...(def.scope === 'public' ? { security: [] } : { 'x-required-scope': def.scope }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(def.body
      ? {
          requestBody: {
            required: def.body.required,
            content: { 'application/json': { schema: schemas.convert(def.body.schema, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of a route table, generated from its zod schemas. */
export function buildOpenApiDocument(routes: readonly RouteDef[], version = '1.0.0'): OpenApiDocument {
  const schemas = new SchemaCollector();
  const paths: OpenApiDocument['paths'] = {};
  for (const def of routes) {
    const path = openApiPath(def);
    paths[path] ??= {};
    paths[path][def.method.toLowerCase()] = operation(def, schemas);
  }
  schemas.components['Error'] = schemas.convert(ErrorEnvelopeJson, 'output');
  const responses = Object.fromEntries(
    Object.entries(ERRORS).map(([code, description]) => [
      `Error${code}`,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Event Monitor REST API',
      version,
      description:
        'Batches, jobs, result files and the worker lease protocol under /api/event-job. Answers are ' +
        '`{status: "success", data, message}` or `{status: "error", message, code, details?}`; dates are ISO 8601 strings. ' +
        'Authenticate with `Authorization: Bearer <token>` (or `x-api-key`); tokens carry the scopes read, write and worker.',
    },
    servers: [{ url: '/' }],
    tags: TAGS,
    paths,
    components: {
      schemas: schemas.components,
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token; scopes read, write, worker' } },
    },
    security: [{ bearer: [] }],
  };
}
