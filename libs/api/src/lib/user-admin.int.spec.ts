// Administration without the CLI: deactivate / reactivate, reset a password, last sign-in, token
// owners and tokens made for another user. Callers are built from real credentials (a session
// cookie or a token read by authenticate), and better-auth's served routes answer real requests.
import { TRPCError } from '@trpc/server';
import {
  authenticate,
  createAuth,
  createUser,
  DEACTIVATED_CODE,
  handleAuthRequest,
  SERVED_AUTH_ENDPOINTS,
  type EventMonitorAuth,
  type Principal,
  type UserDto,
} from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, type DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from './root';
import { createContextInner } from './trpc';

const BASE = 'http://localhost:3999';
let addresses = 0;

function authRequest(auth: EventMonitorAuth, method: string, path: string, init: { cookie?: string; body?: unknown } = {}) {
  const headers = new Headers({ origin: BASE, 'x-forwarded-for': `10.9.0.${++addresses}` });
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return handleAuthRequest(
    auth,
    new Request(`${BASE}/api/auth${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
}

async function signIn(auth: EventMonitorAuth, email: string, password: string): Promise<{ status: number; code?: string; cookie: string }> {
  const response = await authRequest(auth, 'POST', '/sign-in/email', { body: { email, password } });
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: response.status, code: body.code, cookie };
}

async function failureOf(promise: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  try {
    await promise;
    return { code: 'OK', fields: [] };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const details = (error.cause as { details?: { fieldErrors?: Record<string, string[]> } } | undefined)?.details;
    const zodFields = (error.cause as { issues?: { path: PropertyKey[] }[] } | undefined)?.issues?.map((issue) => issue.path.join('.'));
    return { code: error.code, fields: zodFields ?? Object.keys(details?.fieldErrors ?? {}) };
  }
}

describe('user administration: deactivate, reset password, last sign-in, token owners', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  /** A second app process on the same database: its own token cache. */
  let otherProcess: EventMonitorAuth;
  let admin: UserDto;
  let adminSession: string;
  let adminPrincipal: Principal;
  const callerFor = (principal: Principal | null) =>
    createCaller(createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal }));
  const asAdmin = () => callerFor(adminPrincipal);
  const tokenHeaders = (token: string) => new Headers({ authorization: `Bearer ${token}` });
  const cookieHeaders = (cookie: string) => new Headers({ cookie });

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    const mongoDb = db.current.connection.getClient().db(db.current.dbName);
    const options = { db: mongoDb, secret: 's'.repeat(40), baseURL: BASE, secureCookies: false, quiet: true };
    auth = createAuth(options);
    otherProcess = createAuth(options);
    admin = await createUser(auth, { email: 'admin@example.org', name: 'Ada Admin', password: 'admin-password', role: 'admin' });
    const signedIn = await signIn(auth, admin.email, 'admin-password');
    expect(signedIn.status).toBe(200);
    adminSession = signedIn.cookie;
    adminPrincipal = (await authenticate(auth, cookieHeaders(adminSession))) as Principal;
    expect(adminPrincipal).toMatchObject({ via: 'session', actor: { userId: admin.id, role: 'admin' } });
  });

  it('serves only the better-auth routes this spec covers', () => {
    // A route added to the allow-list must be added to the deactivation test below.
    expect(Object.keys(SERVED_AUTH_ENDPOINTS).sort()).toEqual(['/get-session', '/sign-in/email', '/sign-out']);
  });

  it('deactivation ends sessions and refuses tokens at once, in every process; reactivation restores', async () => {
    const bob = await asAdmin().user.create({ email: 'bob@example.org', name: 'Bob', password: 'bob-password', role: 'operator' });
    const session = await signIn(auth, bob.email, 'bob-password');
    expect(session.status).toBe(200);
    const { token } = await asAdmin().token.create({ name: 'bob ci', scopes: ['read', 'write'], user_id: bob.id });
    // Verified, then reused from the cache, in both processes.
    for (const process of [auth, otherProcess, auth, otherProcess]) {
      expect(await authenticate(process, tokenHeaders(token))).toMatchObject({ via: 'token', actor: { userId: bob.id } });
    }
    expect(await authenticate(auth, cookieHeaders(session.cookie))).toMatchObject({ actor: { userId: bob.id } });

    expect(await asAdmin().user.setActive({ user_id: bob.id, active: false })).toMatchObject({ id: bob.id, active: false });

    // The next request: no session, no token (within the cache's TTL, in the other process too).
    expect(await authenticate(auth, cookieHeaders(session.cookie))).toBeNull();
    expect(await authenticate(auth, tokenHeaders(token))).toBeNull();
    expect(await authenticate(otherProcess, tokenHeaders(token))).toBeNull();
    // better-auth's own routes: the session is gone, and no sign-in makes a new one.
    const got = await authRequest(auth, 'GET', '/get-session', { cookie: session.cookie });
    expect(got.status).toBe(200);
    expect(await got.json()).toBeNull();
    const again = await signIn(auth, bob.email, 'bob-password');
    expect({ status: again.status, code: again.code, cookie: /session_token=[^;]+/.test(again.cookie) }).toEqual({
      status: 403,
      code: DEACTIVATED_CODE,
      cookie: false,
    });
    // A wrong password says only that (deactivation is not told to whoever guesses an e-mail).
    expect((await signIn(auth, bob.email, 'wrong-password')).status).toBe(401);
    const signOut = await authRequest(auth, 'POST', '/sign-out', { cookie: session.cookie, body: {} });
    expect(signOut.status).toBeLessThan(500);
    expect(await authenticate(auth, cookieHeaders(session.cookie))).toBeNull();

    const listed = (await asAdmin().user.list()).find((user) => user.id === bob.id);
    expect(listed).toMatchObject({ active: false });

    await asAdmin().user.setActive({ user_id: bob.id, active: true });
    expect(await authenticate(otherProcess, tokenHeaders(token))).toMatchObject({ actor: { userId: bob.id } });
    const back = await signIn(auth, bob.email, 'bob-password');
    expect(back.status).toBe(200);
    expect(await authenticate(auth, cookieHeaders(back.cookie))).toMatchObject({ actor: { userId: bob.id } });

    const events = await asAdmin().audit.list({});
    const named = events.events
      .filter((event) => event.action === 'user.deactivate' || event.action === 'user.reactivate')
      .map((event) => ({ action: event.action, actor: event.actor.name, target: event.target.names?.[bob.id] }));
    expect(named.sort((a, b) => a.action.localeCompare(b.action))).toEqual([
      { action: 'user.deactivate', actor: 'Ada Admin', target: 'Bob' },
      { action: 'user.reactivate', actor: 'Ada Admin', target: 'Bob' },
    ]);
  });

  it('refuses self-deactivation, the last active admin, non-admins and unknown users', async () => {
    expect(await failureOf(asAdmin().user.setActive({ user_id: admin.id, active: false }))).toEqual({ code: 'CONFLICT', fields: [] });
    // An admin principal that is no user of its own (a trusted proxy): Ada is the last active admin.
    const proxyAdmin = callerFor({ actor: { userId: 'proxy-admin', role: 'admin' }, via: 'proxy', scopes: ['read', 'write'] });
    expect(await failureOf(proxyAdmin.user.setActive({ user_id: admin.id, active: false }))).toEqual({ code: 'CONFLICT', fields: [] });
    const other = await asAdmin().user.create({ email: 'eve@example.org', name: 'Eve', password: 'eve-password', role: 'admin' });
    expect(await proxyAdmin.user.setActive({ user_id: other.id, active: false })).toMatchObject({ active: false });
    // Eve is deactivated: Ada is still the last active admin, for a role change too.
    expect(await failureOf(proxyAdmin.user.setRole({ user_id: admin.id, role: 'operator' }))).toEqual({ code: 'CONFLICT', fields: [] });

    const op = await asAdmin().user.create({ email: 'op@example.org', name: 'Op', password: 'op-password1', role: 'operator' });
    const opPrincipal = (await authenticate(auth, cookieHeaders((await signIn(auth, op.email, 'op-password1')).cookie))) as Principal;
    expect(await failureOf(callerFor(opPrincipal).user.setActive({ user_id: other.id, active: true }))).toEqual({ code: 'FORBIDDEN', fields: [] });
    expect(await failureOf(callerFor(opPrincipal).user.resetPassword({ user_id: op.id, password: 'new-password-1' }))).toEqual({
      code: 'FORBIDDEN',
      fields: [],
    });
    expect(await failureOf(callerFor(null).user.setActive({ user_id: op.id, active: false }))).toEqual({ code: 'UNAUTHORIZED', fields: [] });
    expect(await failureOf(asAdmin().user.setActive({ user_id: 'nobody', active: false }))).toEqual({ code: 'NOT_FOUND', fields: [] });
    expect(await failureOf(asAdmin().user.resetPassword({ user_id: 'nobody', password: 'new-password-1' }))).toEqual({
      code: 'NOT_FOUND',
      fields: [],
    });
  });

  it('resets a password: the old one stops, the user\'s sessions end, the audit holds no password', async () => {
    const cy = await asAdmin().user.create({ email: 'cy@example.org', name: 'Cy', password: 'cy-password', role: 'viewer' });
    const before = await signIn(auth, cy.email, 'cy-password');
    expect(before.status).toBe(200);
    for (const password of ['short', 'x'.repeat(129)]) {
      expect(await failureOf(asAdmin().user.resetPassword({ user_id: cy.id, password }))).toEqual({ code: 'BAD_REQUEST', fields: ['password'] });
    }
    await asAdmin().user.resetPassword({ user_id: cy.id, password: 'cy-new-password' });
    expect(await authenticate(auth, cookieHeaders(before.cookie))).toBeNull();
    expect((await signIn(auth, cy.email, 'cy-password')).status).toBe(401);
    expect((await signIn(auth, cy.email, 'cy-new-password')).status).toBe(200);

    // Her own password: the admin keeps this session, her other one ends.
    const second = await signIn(auth, admin.email, 'admin-password');
    await asAdmin().user.resetPassword({ user_id: admin.id, password: 'admin-new-password' });
    expect(await authenticate(auth, cookieHeaders(adminSession))).toMatchObject({ actor: { userId: admin.id } });
    expect(await authenticate(auth, cookieHeaders(second.cookie))).toBeNull();

    const events = (await asAdmin().audit.list({ action: 'user.reset_password' })).events;
    expect(events.map((event) => event.target.names?.[event.target.ids[0] ?? ''])).toEqual(['Ada Admin', 'Cy']);
    expect(JSON.stringify(events)).not.toMatch(/new-password/);
  });

  it('lists the last sign-in ("never" as null) and the active state', async () => {
    const dee = await asAdmin().user.create({ email: 'dee@example.org', name: 'Dee', password: 'dee-password', role: 'viewer' });
    const row = async () => (await asAdmin().user.list()).find((user) => user.id === dee.id);
    expect(await row()).toMatchObject({ active: true, lastSignInAt: null });
    const start = Date.now();
    await signIn(auth, dee.email, 'dee-password');
    const signedIn = (await row())?.lastSignInAt;
    expect(signedIn).toBeInstanceOf(Date);
    expect((signedIn as Date).getTime()).toBeGreaterThanOrEqual(start - 1_000);
    // A refused sign-in is no sign-in.
    await signIn(auth, dee.email, 'wrong-password');
    expect((await row())?.lastSignInAt).toEqual(signedIn);
  });

  it('lists tokens with their owner and makes tokens for another user that act with that user\'s rights', async () => {
    const vic = await asAdmin().user.create({ email: 'vic@example.org', name: 'Vic', password: 'vic-password', role: 'viewer' });
    const created = await asAdmin().token.create({ name: 'for vic', scopes: ['read', 'write'], user_id: vic.id });
    await asAdmin().token.create({ name: 'mine', scopes: ['read'] });
    const listed = (await asAdmin().token.list()).filter((token) => ['mine', 'for vic'].includes(token.name));
    expect(listed.map((token) => ({ name: token.name, owner: token.owner }))).toEqual([
      { name: 'mine', owner: { name: 'Ada Admin', email: 'admin@example.org' } },
      { name: 'for vic', owner: { name: 'Vic', email: 'vic@example.org' } },
    ]);
    // Vic is a viewer: the token reads as Vic and cannot write, whatever scopes it was given.
    const principal = (await authenticate(auth, tokenHeaders(created.token))) as Principal;
    expect(principal).toMatchObject({ actor: { userId: vic.id, role: 'viewer' }, scopes: ['read'] });
    expect(await failureOf(callerFor(principal).batch.create({ jobs: [{ parameters: { session: 's' } }] }))).toEqual({
      code: 'FORBIDDEN',
      fields: [],
    });
    expect(await failureOf(callerFor(principal).token.list())).toEqual({ code: 'FORBIDDEN', fields: [] });
    expect(await failureOf(asAdmin().token.create({ name: 'x', scopes: ['read'], user_id: 'nobody' }))).toEqual({
      code: 'NOT_FOUND',
      fields: [],
    });
    const audited = (await asAdmin().audit.list({ action: 'token.create' })).events.find((event) => event.target.ids[0] === created.id);
    expect(audited?.details).toMatchObject({ owner: 'vic@example.org', user_id: vic.id });
  });
});
