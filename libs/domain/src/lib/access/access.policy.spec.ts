import type { Actor } from '../actor';
import { assertAccess, canAdmin, canRead, canWrite, readableFilter, writableFilter, type AccessSubject } from './access.policy';

const owner: Actor = { userId: 'olga', role: 'operator' };
const other: Actor = { userId: 'otto', role: 'operator' };
const reader: Actor = { userId: 'rita', role: 'operator' };
const writer: Actor = { userId: 'walt', role: 'operator' };
const adminListed: Actor = { userId: 'anna', role: 'operator' };
const viewer: Actor = { userId: 'vera', role: 'viewer' };
const admin: Actor = { userId: 'adam', role: 'admin' };

const doc: AccessSubject = {
  user_id: 'olga',
  access_control: {
    visibility: 'private',
    read_access: ['olga', 'rita', 'vera'],
    write_access: ['olga', 'walt'],
    admin_access: ['olga', 'anna'],
  },
};

describe('access policy', () => {
  it.each([
    ['owner', owner, [true, true, true]],
    ['another user', other, [false, false, false]],
    ['a listed reader', reader, [true, false, false]],
    ['a listed writer', writer, [true, true, false]],
    ['a listed admin', adminListed, [true, true, true]],
    ['a listed viewer', viewer, [true, false, false]],
    ['an admin', admin, [true, true, true]],
  ] as const)('%s: read/write/admin = %j', (_, actor, expected) => {
    expect([canRead(actor, doc), canWrite(actor, doc), canAdmin(actor, doc)]).toEqual(expected);
  });

  it('public documents are readable by everyone but writable only as before', () => {
    const pub = { ...doc, access_control: { ...doc.access_control, visibility: 'public' as const } };
    expect(canRead(other, pub)).toBe(true);
    expect(canWrite(other, pub)).toBe(false);
  });

  it('legacy documents without user and ACL are shared: read by all, changed by operators, never by viewers', () => {
    const legacy = {};
    expect(canRead(viewer, legacy)).toBe(true);
    expect(canWrite(other, legacy)).toBe(true);
    expect(canAdmin(other, legacy)).toBe(true);
    expect(canWrite(viewer, legacy)).toBe(false);
  });

  it('a viewer never writes, even as the owner', () => {
    const own = { user_id: 'vera' };
    expect(canRead(viewer, own)).toBe(true);
    expect(canWrite(viewer, own)).toBe(false);
  });

  it('hides what cannot be read (NOT_FOUND) and refuses what can be read but not changed (FORBIDDEN)', () => {
    expect(() => assertAccess(other, doc, 'read', 'batch b')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => assertAccess(reader, doc, 'write', 'batch b')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertAccess(writer, doc, 'admin', 'batch b')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertAccess(writer, doc, 'write', 'batch b')).not.toThrow();
  });

  it('query filters: admin sees everything, a viewer can write nothing', () => {
    expect(readableFilter(admin)).toEqual({});
    expect(writableFilter(admin)).toEqual({});
    expect(writableFilter(viewer)).toEqual({ _id: { $exists: false } });
    expect(JSON.stringify(readableFilter(reader))).toContain('"rita"');
  });
});
