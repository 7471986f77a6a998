// Raw HTTP helpers for the suites against the live server: REST and tRPC as a client sends them,
// sign-in with a password, and the principals of the authorization matrix.
import { createApiToken, revokeApiToken, type TokenScope } from '@event-monitor/auth';
import type { LiveServer } from '@event-monitor/testing-live';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Answers of every route and procedure; the suites read the fields they check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function answer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (files, pages)
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A REST call under /api/event-job; `body` is sent as JSON unless it is already a string. */
export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(`${baseUrl}/api/event-job/${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body,
  });
  return answer(response);
}

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** A tRPC call over HTTP as the client link sends it (superjson envelope `{json: input}`). */
export async function trpc(
  baseUrl: string,
  type: ProcedureType,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const encoded = input === undefined ? undefined : JSON.stringify({ json: input });
  if (type === 'mutation') {
    const response = await fetch(`${baseUrl}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: encoded ?? '{}',
    });
    return answer(response);
  }
  const url = `${baseUrl}/api/trpc/${path}${encoded ? `?input=${encodeURIComponent(encoded)}` : ''}`;
  if (type === 'subscription') {
    // Server-Sent Events: a refusal comes as an error event right after `connected`; whatever
    // arrives within a second decides, then the client hangs up.
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (response.headers.get('content-type')?.startsWith('text/event-stream') && response.body) {
      const reader = response.body.getReader();
      const timer = setTimeout(() => abort.abort(), 1_000);
      let text = '';
      try {
        while (!text.includes('serialized-error')) {
          const { value, done } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString('utf8');
        }
      } catch {
        // aborted after a second: the stream stayed open
      } finally {
        clearTimeout(timer);
        abort.abort();
      }
      return { status: response.status, headers: response.headers, text, json: undefined };
    }
    return answer(response);
  }
  return answer(await fetch(url, { headers }));
}

/**
 * A query sent as a POST (tRPC's method override: the web and client links do it for an input
 * too long for a URL). The server allows it, so it must pass the same origin check as a mutation.
 */
export async function trpcQueryAsPost(
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: input === undefined ? '{}' : JSON.stringify({ json: input }),
  });
  return answer(response);
}

/** Signs in with email and password; returns the Cookie header value. */
export async function signIn(server: LiveServer, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${email} answered ${response.status}: ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

export const PRINCIPALS = [
  'anonymous',
  'expired session',
  'revoked token',
  'worker token',
  'read token',
  'operator token',
  'viewer',
  'another user',
  'owner',
  'admin',
  'admin, cross-site',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export interface MatrixPrincipal {
  name: PrincipalName;
  headers: Record<string, string>;
  /** Null: the credential does not (or no longer) identify anyone. */
  scopes: ReadonlySet<TokenScope> | null;
  admin: boolean;
  /** May read the owner's private batches and jobs. */
  readsOwner: boolean;
  /** A live session cookie sent from another origin (a forged request): unsafe calls are refused. */
  crossSite: boolean;
}

export interface Principals {
  byName: Record<PrincipalName, MatrixPrincipal>;
  /** The owner's token with every scope: creates what the matrix acts on. */
  ownerHeaders: Record<string, string>;
  ownerId: string;
  /** Secrets handed out, for "never in a response or a log line". */
  secrets: string[];
}

/**
 * The principals of the matrix: nobody, dead credentials, tokens of the owner with one scope
 * missing, a viewer's session, another operator, the owner, and the admin's session.
 */
export async function createPrincipals(server: LiveServer): Promise<Principals> {
  const secrets: string[] = [server.admin.password];
  const tokenFor = async (userId: string, scopes: TokenScope[]) => {
    const created = await createApiToken(server.auth, { userId, name: `matrix ${scopes.join('+')}`, scopes });
    secrets.push(created.token);
    return created;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cookieOf = async (email: string, password: string) => {
    const cookie = await signIn(server, email, password);
    secrets.push(...cookie.split('; ').map((pair) => pair.slice(pair.indexOf('=') + 1)));
    return { cookie };
  };

  const owner = await server.createUser('operator');
  secrets.push(owner.password);
  const ownerAll = await tokenFor(owner.id, ['read', 'write', 'worker']);
  const ownerWorker = await tokenFor(owner.id, ['worker']);
  const ownerRead = await tokenFor(owner.id, ['read']);
  const ownerOperator = await tokenFor(owner.id, ['read', 'write']);
  const other = await server.createUser('operator');
  const otherAll = await tokenFor(other.id, ['read', 'write', 'worker']);
  const viewer = await server.createUser('viewer');
  secrets.push(viewer.password, other.password);
  const viewerCookie = await cookieOf(viewer.email, viewer.password);
  const adminCookie = await cookieOf(server.admin.email, server.admin.password);

  // A session whose record is gone from the database (expired and swept, or signed out elsewhere).
  const gone = await server.createUser('operator');
  secrets.push(gone.password);
  const goneCookie = await cookieOf(gone.email, gone.password);
  const sessionToken = decodeURIComponent(goneCookie.cookie.split('=')[1] ?? '').split('.')[0];
  const deleted = await server.connection.collection('session').deleteMany({ token: sessionToken });
  if (deleted.deletedCount !== 1) throw new Error('could not expire the session of the matrix');

  const revoked = await tokenFor(other.id, ['read', 'write', 'worker']);
  await revokeApiToken(server.auth, revoked.id);

  const all = new Set<TokenScope>(['read', 'write', 'worker']);
  const principal = (
    name: PrincipalName,
    headers: Record<string, string>,
    scopes: TokenScope[] | null,
    extra: { admin?: boolean; readsOwner?: boolean; crossSite?: boolean } = {},
  ): MatrixPrincipal => ({
    name,
    headers,
    scopes: scopes ? new Set(scopes) : null,
    admin: extra.admin ?? false,
    readsOwner: extra.readsOwner ?? false,
    crossSite: extra.crossSite ?? false,
  });
  // Another port of the app's own host: the same site for SameSite=Lax cookies, another origin.
  const crossSiteOrigin = `http://127.0.0.1:${Number(new URL(server.url).port) + 1}`;
  const byName: Record<PrincipalName, MatrixPrincipal> = {
    anonymous: principal('anonymous', {}, null),
    'expired session': principal('expired session', goneCookie, null),
    'revoked token': principal('revoked token', bearer(revoked.token), null),
    'worker token': principal('worker token', bearer(ownerWorker.token), ['worker'], { readsOwner: true }),
    'read token': principal('read token', bearer(ownerRead.token), ['read'], { readsOwner: true }),
    'operator token': principal('operator token', bearer(ownerOperator.token), ['read', 'write'], { readsOwner: true }),
    viewer: principal('viewer', viewerCookie, ['read']),
    'another user': principal('another user', bearer(otherAll.token), [...all]),
    owner: principal('owner', bearer(ownerAll.token), [...all], { readsOwner: true }),
    admin: principal('admin', adminCookie, ['read', 'write'], { admin: true, readsOwner: true }),
    'admin, cross-site': principal('admin, cross-site', { ...adminCookie, origin: crossSiteOrigin }, ['read', 'write'], {
      admin: true,
      readsOwner: true,
      crossSite: true,
    }),
  };
  return { byName, ownerHeaders: bearer(ownerAll.token), ownerId: owner.id, secrets };
}
