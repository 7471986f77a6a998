import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '@event-monitor/domain';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, call, domainDeps, jobsInput, testHandler, type CallResult } from '../../test-support/rest-fixtures';
import type { RestHandler } from '../rest-handler';

const db = useTestDatabase();
let deps: DomainDeps;
let handler: RestHandler;
let base: string;
let root: string;
const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
const MARKDOWN = '# Opening\n\nHello files.\n';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  base = await mkdtemp(join(tmpdir(), 'rest-files-'));
  root = join(base, 'root');
  await mkdir(join(root, 'sessions/fosdem/de/assets/opening'), { recursive: true });
  await mkdir(join(root, 'sessions/private/de'), { recursive: true });
  await writeFile(join(root, 'sessions/fosdem/de/opening.md'), MARKDOWN);
  await writeFile(join(root, 'sessions/fosdem/de/assets/opening/slide 1 é.png'), PNG);
  await writeFile(join(root, 'sessions/fosdem/de/assets/opening/notes.pdf'), '%PDF-1.4 fake');
  await writeFile(join(root, 'sessions/fosdem/de/listed.json'), '{"a":1}');
  await writeFile(join(root, 'sessions/private/de/other.md'), '# private');
  await writeFile(join(root, 'orphan.txt'), 'no job owns me');
  // Files of the same event folder that no job of the owner names.
  await writeFile(join(root, 'sessions/fosdem/de/assets/opening/unlisted.txt'), 'not linked');
  await mkdir(join(root, 'sessions/fosdem/de/assets/closing'), { recursive: true });
  await writeFile(join(root, 'sessions/fosdem/de/closing.md'), '# closing, by another user');
  await writeFile(join(root, 'sessions/fosdem/de/assets/closing/secret.png'), PNG);
  await writeFile(join(root, 'sessions/fosdem/de/assets/closing/draft.txt'), 'unlisted draft of the other user');
  // A job a legacy worker completed (no result_files): its links are derived at read time.
  await mkdir(join(root, 'sessions/legacy/de/assets/talk'), { recursive: true });
  await writeFile(join(root, 'sessions/legacy/de/talk.md'), '# legacy');
  await writeFile(join(root, 'sessions/legacy/de/assets/talk/linked.png'), PNG);
  await writeFile(join(root, 'sessions/legacy/de/assets/talk/unlinked.png'), PNG);
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(root, 'sessions/fosdem/de/escape.md'));
  await symlink(base, join(root, 'sessions/fosdem/de/up'));
  // Inside the root, but pointing at another user's file.
  await symlink(join(root, 'sessions/private/de/other.md'), join(root, 'sessions/fosdem/de/alias.md'));
  handler = testHandler(deps, { filesRoot: root });

  // Owner's job: its markdown file, an asset listed explicitly, two linked from the markdown.
  await completeJobWith('owner-token', {
    markdown_file: 'sessions/fosdem/de/opening.md',
    assets: ['sessions/fosdem/de/listed.json'],
    markdown_content: '# Opening\n\n![slide](assets/opening/slide%201%20%C3%A9.png)\n\n[notes](<assets/opening/notes.pdf> "Notes")\n',
  });
  // Another user's private job: its markdown must stay unreadable for the owner.
  await completeJobWith('other-token', { markdown_file: 'sessions/private/de/other.md' }, { event: 'private' });
  // Another user's job in the owner's event folder (the legacy layout shares it).
  await completeJobWith('other-token', {
    markdown_file: 'sessions/fosdem/de/closing.md',
    markdown_content: '![x](assets/closing/secret.png)',
  });
  await deps.models.Job.collection.insertOne({
    job_id: 'job-legacy-files',
    job_type: '',
    status: 'completed',
    created_at: new Date(),
    updated_at: new Date(),
    parameters: { event: 'legacy', target_language: 'de' },
    archived: false,
    user_id: 'olga',
    access_control: { visibility: 'private', read_access: ['olga'], write_access: ['olga'], admin_access: ['olga'] },
    results: { markdown_file: 'sessions/legacy/de/talk.md', markdown_content: '![a](assets/talk/linked.png) see https://example.org/x.png', assets: [] },
  });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function claimJobOf(token: string, parameters: Record<string, unknown> = {}): Promise<{ jobId: string; lease: string }> {
  await call(handler, 'POST', 'batches', { token, body: { jobs: jobsInput(1, parameters) } });
  const { json } = await call(handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
  return { jobId: json.data.job.job_id, lease: json.data.lease.token };
}

async function completeWith(token: string, results: Record<string, unknown>, parameters: Record<string, unknown> = {}): Promise<CallResult> {
  const { jobId, lease } = await claimJobOf(token, parameters);
  return call(handler, 'POST', `worker/jobs/${jobId}/complete`, { token: 'worker-token', body: { token: lease, results } });
}

async function completeJobWith(token: string, results: Record<string, unknown>, parameters: Record<string, unknown> = {}): Promise<void> {
  const res = await completeWith(token, results, parameters);
  expect(res.status).toBe(200);
}

const get = (path: string, headers: Record<string, string> = {}, token = 'owner-token'): Promise<CallResult> =>
  call(handler, 'GET', `files/${path}`, { token, headers });

describe('files route', () => {
  it('serves a job\'s markdown with its content type, nosniff and inline disposition', async () => {
    const res = await get('sessions/fosdem/de/opening.md');
    expect(res.status).toBe(200);
    expect(res.text).toBe(MARKDOWN);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="opening.md"; filename*=UTF-8\'\'opening.md');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(MARKDOWN)));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
  });

  it('serves the assets a job lists or its markdown links to, with their types', async () => {
    const png = await handler(new Request(`${BASE}/files/sessions/fosdem/de/assets/opening/slide%201%20%C3%A9.png`, { headers: { authorization: 'Bearer owner-token' } }));
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer())).toEqual(PNG);
    expect((await get('sessions/fosdem/de/assets/opening/notes.pdf')).headers.get('content-type')).toBe('application/pdf');
    expect((await get('sessions/fosdem/de/listed.json')).headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('?download=1 makes an attachment with an RFC 6266 filename', async () => {
    const res = await handler(
      new Request(`${BASE}/files/sessions/fosdem/de/assets/opening/slide%201%20%C3%A9.png?download=1`, { headers: { authorization: 'Bearer owner-token' } }),
    );
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="slide 1 _.png"; filename*=UTF-8\'\'slide%201%20%C3%A9.png');
  });

  it('ETag and If-None-Match give 304', async () => {
    const first = await get('sessions/fosdem/de/opening.md');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get('sessions/fosdem/de/opening.md', { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect((await get('sessions/fosdem/de/opening.md', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('Range gives 206 with Content-Range; an unsatisfiable one 416', async () => {
    const part = await get('sessions/fosdem/de/opening.md', { range: 'bytes=2-8' });
    expect(part.status).toBe(206);
    expect(part.text).toBe(MARKDOWN.slice(2, 9));
    expect(part.headers.get('content-range')).toBe(`bytes 2-8/${MARKDOWN.length}`);
    expect(part.headers.get('content-length')).toBe('7');
    const suffix = await get('sessions/fosdem/de/opening.md', { range: 'bytes=-6' });
    expect(suffix.text).toBe(MARKDOWN.slice(-6));
    const open = await get('sessions/fosdem/de/opening.md', { range: 'bytes=10-' });
    expect(open.text).toBe(MARKDOWN.slice(10));
    const beyond = await get('sessions/fosdem/de/opening.md', { range: 'bytes=1000-2000' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${MARKDOWN.length}`);
    const multi = await get('sessions/fosdem/de/opening.md', { range: 'bytes=0-1,3-4' });
    expect(multi.status).toBe(200);
    expect(multi.text).toBe(MARKDOWN);
  });

  it('needs read access to the owning job: others, orphans and missing files are 404 alike', async () => {
    const notMine = await get('sessions/private/de/other.md');
    expect(notMine.status).toBe(404);
    expect((await get('sessions/private/de/other.md', {}, 'other-token')).status).toBe(200);
    expect((await get('orphan.txt')).status).toBe(404);
    expect((await get('sessions/fosdem/de/missing.md')).status).toBe(404);
    expect((await get('sessions/fosdem/de/assets')).status).toBe(404);
    expect((await get('sessions/fosdem/de/opening.md', {}, 'worker-token')).status).toBe(403);
    expect((await call(handler, 'GET', 'files/sessions/fosdem/de/opening.md')).status).toBe(401);
    // An admin reads everything there is.
    expect((await get('sessions/private/de/other.md', {}, 'admin-token')).status).toBe(200);
  });

  it('a shared folder grants nothing: files no readable job names are 404', async () => {
    for (const path of ['sessions/fosdem/de/assets/opening/unlisted.txt', 'sessions/fosdem/de/closing.md', 'sessions/fosdem/de/assets/closing/secret.png', 'sessions/fosdem/de/assets/closing/draft.txt']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
    // Their owner reads what their job names, and not the unlisted draft either.
    expect((await get('sessions/fosdem/de/assets/closing/secret.png', {}, 'other-token')).status).toBe(200);
    expect((await get('sessions/fosdem/de/assets/closing/draft.txt', {}, 'other-token')).status).toBe(404);
  });

  it('a completion cannot name another user\'s file, nor one outside its own event folder', async () => {
    const stolen = await completeWith('owner-token', { markdown_file: 'sessions/fosdem/de/closing.md', assets: ['sessions/fosdem/de/assets/closing/secret.png'] });
    expect({ status: stolen.status, fields: Object.keys(stolen.json.details.fieldErrors).sort() }).toEqual({
      status: 400,
      fields: ['results.assets.0', 'results.markdown_file'],
    });
    const elsewhere = await completeWith('owner-token', { markdown_file: 'sessions/private/de/other.md', assets: ['orphan.txt', '../x', 'sessions/FOSDEM/fr/a.png'] });
    expect({ status: elsewhere.status, fields: Object.keys(elsewhere.json.details.fieldErrors).sort() }).toEqual({
      status: 400,
      fields: ['results.assets.0', 'results.assets.1', 'results.assets.2', 'results.markdown_file'],
    });
    // A link to another user's file is not recorded: the completion passes, the file stays closed.
    const linked = await completeWith('owner-token', { markdown_file: 'sessions/fosdem/de/mine.md', markdown_content: '![s](assets/closing/secret.png) [d](/api/event-job/files/sessions/fosdem/de/assets/closing/draft.txt)' });
    expect(linked.status).toBe(200);
    expect((await get('sessions/fosdem/de/assets/closing/secret.png')).status).toBe(404);
    expect((await get('sessions/fosdem/de/assets/closing/draft.txt')).status).toBe(404);
    // The event folder is matched loosely: FOSDEM 2026 may write to FOSDEM_2026 or fosdem-2026.
    expect((await completeWith('owner-token', { markdown_file: 'sessions/fosdem-2026/de/a.md' }, { event: 'FOSDEM 2026' })).status).toBe(200);
  });

  it('a legacy job\'s markdown links are derived at read time; its folder grants nothing', async () => {
    expect((await get('sessions/legacy/de/talk.md')).status).toBe(200);
    expect((await get('sessions/legacy/de/assets/talk/linked.png')).status).toBe(200);
    expect((await get('sessions/legacy/de/assets/talk/unlinked.png')).status).toBe(404);
    expect((await get('sessions/legacy/de/assets/talk/linked.png', {}, 'other-token')).status).toBe(404);
  });

  it('access is decided on the real path: a symlink alias to another user\'s file is 404', async () => {
    expect((await get('sessions/fosdem/de/alias.md')).status).toBe(404);
    expect((await get('sessions/fosdem/de/alias.md', {}, 'other-token')).status).toBe(200);
  });

  it('without EVENT_FILES_DIR the route answers 404 with a clear message', async () => {
    const off = testHandler(deps, { filesRoot: undefined });
    const res = await call(off, 'GET', 'files/sessions/fosdem/de/opening.md', { token: 'owner-token' });
    expect(res.status).toBe(404);
    expect(res.json.message).toContain('EVENT_FILES_DIR');
  });

  it('without EVENT_FILES_DIR a browser following a file link gets a page that says why', async () => {
    const off = testHandler(deps, { filesRoot: undefined });
    const res = await call(off, 'GET', 'files/sessions/fosdem/de/opening.md', {
      token: 'owner-token',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.text).toContain('File serving is off on this server');
    expect(res.text).toContain('EVENT_FILES_DIR');
  });

  describe('traversal: never anything outside the root', () => {
    const attacks = [
      '../secret.txt',
      'sessions/../../secret.txt',
      '%2e%2e%2fsecret.txt',
      '%2e%2e/secret.txt',
      'sessions%2f..%2f..%2fsecret.txt',
      '%252e%252e%252fsecret.txt',
      '%25252e%25252e%25252fsecret.txt',
      'sessions/fosdem/de/%252e%252e%252f%252e%252e%252f%252e%252e%252f..%252fsecret.txt',
      '..%5csecret.txt',
      '..%255csecret.txt',
      '%2fetc%2fpasswd',
      '%252fetc%252fpasswd',
      encodeURIComponent(join(tmpdir(), 'secret.txt')),
      'C:%5cWindows%5cwin.ini',
      'sessions/fosdem/de/opening.md%00.png',
      'sessions/fosdem/de/opening.md%2500',
      'sessions/fosdem/de/escape.md',
      'sessions/fosdem/de/up/secret.txt',
      'sessions//fosdem/de/opening.md',
    ];

    it.each(attacks)('%s is refused', async (attack) => {
      const res = await handler(new Request(`${BASE}/files/${attack}`, { headers: { authorization: 'Bearer admin-token' } }));
      const text = await res.text();
      expect([400, 404]).toContain(res.status);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('root:');
    });

    it('zero escapes over the whole suite, even for an admin', async () => {
      let served = 0;
      for (const attack of attacks) {
        const res = await handler(new Request(`${BASE}/files/${attack}`, { headers: { authorization: 'Bearer admin-token' } }));
        if (res.status < 300) served++;
        await res.arrayBuffer();
      }
      expect(served).toBe(0);
    });
  });
});
