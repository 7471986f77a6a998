import type { Metadata } from 'next';
import { openApiDocument } from '@event-monitor/rest-adapter';

export const metadata: Metadata = {
  title: 'REST API reference (static) · Event Monitor',
  description: 'The /api/event-job routes, generated from the same zod schemas the server validates with.',
};

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Schema;
  description?: string;
}

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  deprecated?: boolean;
  security?: unknown[];
  'x-required-scope'?: string;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; description?: string; content?: Record<string, { schema: Schema }> }>;
}

const METHOD_CLASSES: Record<string, string> = {
  get: 'bg-sky-100 text-sky-900',
  post: 'bg-emerald-100 text-emerald-900',
  delete: 'bg-rose-100 text-rose-900',
};

/** A one-line type for a JSON Schema, enough to read a parameter table. */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'any';
  if (typeof schema['$ref'] === 'string') return (schema['$ref'] as string).split('/').pop() ?? 'object';
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema['anyOf'])) return (schema['anyOf'] as Schema[]).map(typeOf).join(' | ');
  if (schema['type'] === 'array') return `${typeOf(schema['items'] as Schema)}[]`;
  if (typeof schema['type'] === 'string') return schema['type'] as string;
  return 'object';
}

function SchemaBlock({ title, schema }: { title: string; schema: unknown }) {
  return (
    <details className="rounded border border-border">
      <summary className="cursor-pointer px-3 py-1.5 text-sm font-medium">{title}</summary>
      <pre className="max-h-96 overflow-auto bg-muted px-3 py-2 text-xs">{JSON.stringify(schema, null, 2)}</pre>
    </details>
  );
}

function OperationCard({ method, path, operation }: { method: string; path: string; operation: Operation }) {
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const success = Object.entries(operation.responses).find(([code]) => code.startsWith('2'));
  const errors = Object.keys(operation.responses).filter((code) => !code.startsWith('2'));
  return (
    <article id={operation.operationId} className="flex flex-col gap-3 rounded-lg border border-border p-4">
      <header className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_CLASSES[method] ?? ''}`}>{method}</span>
        <code className="font-mono text-sm">{path}</code>
        {operation.deprecated ? <span className="text-xs text-muted-foreground">(deprecated)</span> : null}
        <span className="ml-auto text-xs text-muted-foreground">
          {operation['x-required-scope'] ? `scope: ${operation['x-required-scope']}` : 'public'}
        </span>
      </header>
      <p className="text-sm">{operation.summary}</p>
      {operation.description ? <p className="text-sm text-muted-foreground">{operation.description}</p> : null}
      {operation.parameters && operation.parameters.length > 0 ? (
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-muted-foreground">
            <tr>
              <th className="py-1 pr-4 font-medium">parameter</th>
              <th className="py-1 pr-4 font-medium">in</th>
              <th className="py-1 font-medium">type</th>
            </tr>
          </thead>
          <tbody>
            {operation.parameters.map((p) => (
              <tr key={`${p.in}-${p.name}`} className="border-t border-border">
                <td className="py-1 pr-4 font-mono">
                  {p.name}
                  {p.required ? ' *' : ''}
                </td>
                <td className="py-1 pr-4">{p.in}</td>
                <td className="py-1 font-mono text-xs">{typeOf(p.schema)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {bodySchema ? <SchemaBlock title={`Request body (JSON${operation.requestBody?.required ? ', required' : ', optional'})`} schema={bodySchema} /> : null}
      {success ? (
        <SchemaBlock title={`${success[0]} ${success[1].description ?? ''}`} schema={success[1].content ?? success[1]} />
      ) : null}
      {errors.length > 0 ? <p className="text-xs text-muted-foreground">Errors: {errors.join(', ')} (error envelope)</p> : null}
    </article>
  );
}

/** The REST API reference, rendered on the server from the generated OpenAPI document. */
export default function ApiDocsPage() {
  const document = openApiDocument();
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation: operation as Operation })),
  );
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-8 px-4 py-12">
      <header className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold tracking-tight">{document.info.title}</h1>
        <p className="text-sm text-muted-foreground">Version {document.info.version} · OpenAPI {document.openapi}</p>
        <p className="text-sm">{document.info.description}</p>
        <p className="text-sm">
          Machine-readable: <a className="underline" href="/api/event-job/openapi.json">/api/event-job/openapi.json</a>
          {' · '}
          <a className="underline" href="/api-docs">
            Interactive reference (try a request)
          </a>
        </p>
      </header>
      <nav aria-label="Sections" className="flex flex-wrap gap-3 text-sm">
        {document.tags.map((tag) => (
          <a key={tag.name} className="underline" href={`#tag-${tag.name}`}>
            {tag.name}
          </a>
        ))}
      </nav>
      {document.tags.map((tag) => (
        <section key={tag.name} id={`tag-${tag.name}`} className="flex flex-col gap-4">
          <div>
            <h2 className="text-xl font-semibold">{tag.name}</h2>
            <p className="text-sm text-muted-foreground">{tag.description}</p>
          </div>
          {operations
            .filter(({ operation }) => operation.tags.includes(tag.name))
            .map(({ path, method, operation }) => (
              <OperationCard key={operation.operationId} method={method} path={path} operation={operation} />
            ))}
        </section>
      ))}
      <section className="flex flex-col gap-2">
        <h2 className="text-xl font-semibold">Schemas</h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => (
          <SchemaBlock key={name} title={name} schema={schema} />
        ))}
      </section>
    </main>
  );
}
