import { randomBytes } from 'node:crypto';
import { DomainError, DomainErrorCode, type Role } from '@event-monitor/domain';
import { isDeactivated, type EventMonitorAuth } from './auth';
import { isRole } from './principal';
import { tokenCacheOf } from './token-cache';

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  /** False once an admin deactivated the user: no sign-in, no session, no token. */
  active: boolean;
  /** When a session was last created for the user; null when never. */
  lastSignInAt: Date | null;
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: Role;
}

interface StoredUser {
  id: string;
  email: string;
  name: string;
  role?: unknown;
  createdAt: Date;
  deactivated?: unknown;
  lastSignInAt?: Date | null;
}

function toUserDto(user: StoredUser): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: isRole(user.role) ? user.role : 'viewer',
    createdAt: user.createdAt,
    active: !isDeactivated(user),
    lastSignInAt: user.lastSignInAt ? new Date(user.lastSignInAt) : null,
  };
}

/** The password rule of creation (better-auth's configured lengths), as a field error. */
async function checkPassword(auth: EventMonitorAuth, password: string): Promise<void> {
  const ctx = await auth.$context;
  const { minPasswordLength, maxPasswordLength } = ctx.password.config;
  if (password.length < minPasswordLength || password.length > maxPasswordLength) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'Invalid password', {
      fieldErrors: {
        password: [`Must be ${minPasswordLength} to ${maxPasswordLength} characters`],
      },
      formErrors: [],
    });
  }
}

/** Creates a user with an email + password sign-in (hashed by better-auth). */
export async function createUser(auth: EventMonitorAuth, input: CreateUserInput): Promise<UserDto> {
  const ctx = await auth.$context;
  const email = input.email.trim().toLowerCase();
  await checkPassword(auth, input.password);
  if (await ctx.internalAdapter.findUserByEmail(email)) {
    throw new DomainError(DomainErrorCode.CONFLICT, `A user with the email ${email} exists already`);
  }
  const user = await ctx.internalAdapter.createUser(
    {
      email,
      name: input.name.trim(),
      emailVerified: true,
      role: input.role,
    },
    { method: 'admin' },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: await ctx.password.hash(input.password),
  });
  return toUserDto(user as StoredUser);
}

export async function listUsers(auth: EventMonitorAuth): Promise<UserDto[]> {
  const ctx = await auth.$context;
  const users = await ctx.internalAdapter.listUsers(1_000, 0, {
    field: 'createdAt',
    direction: 'asc',
  });
  return users.map((user) => toUserDto(user as StoredUser));
}

export async function getUser(auth: EventMonitorAuth, userId: string): Promise<UserDto | null> {
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.findUserById(userId);
  return user ? toUserDto(user as StoredUser) : null;
}

/** Changes a role; it takes effect on the user's next request (roles are read per request). */
export async function setUserRole(auth: EventMonitorAuth, userId: string, role: Role): Promise<UserDto> {
  const ctx = await auth.$context;
  const before = await ctx.internalAdapter.findUserById(userId);
  if (!before) {
    throw new DomainError(DomainErrorCode.NOT_FOUND, `User ${userId} not found`);
  }
  const demotesAdmin = (before as StoredUser).role === 'admin' && role !== 'admin';
  if (demotesAdmin && (await countAdmins(auth)) <= 1) throw lastAdmin();
  const user = await ctx.internalAdapter.updateUser(userId, { role });
  // Two admins demoting each other at once both counted two: the count after the write decides,
  // and a demotion that left nobody is put back (both are refused rather than neither).
  if (demotesAdmin && (await countAdmins(auth)) === 0) {
    await ctx.internalAdapter.updateUser(userId, { role: 'admin' });
    throw lastAdmin();
  }
  tokenCacheOf(auth).forgetUser(userId);
  return toUserDto(user as StoredUser);
}

/** Active admins: a deactivated admin cannot sign in, so does not count as one. */
async function countAdmins(auth: EventMonitorAuth): Promise<number> {
  const ctx = await auth.$context;
  return ctx.internalAdapter.countTotalUsers([
    { field: 'role', value: 'admin' },
    { field: 'deactivated', operator: 'ne', value: true },
  ]);
}

/**
 * Deactivates or reactivates a user. Deactivation deletes the user's sessions (their next request
 * is anonymous) and refuses their tokens from the next request on (authenticate.ts reads the owner
 * with the key); the tokens themselves stay, so reactivation brings them back. An admin cannot
 * deactivate themself, nor the last active admin.
 */
export async function setUserActive(
  auth: EventMonitorAuth,
  callerId: string,
  userId: string,
  active: boolean,
): Promise<UserDto> {
  const ctx = await auth.$context;
  const before = await ctx.internalAdapter.findUserById(userId);
  if (!before) throw new DomainError(DomainErrorCode.NOT_FOUND, `User ${userId} not found`);
  if (!active && userId === callerId) {
    throw new DomainError(DomainErrorCode.CONFLICT, 'You cannot deactivate yourself: ask another admin');
  }
  const deactivatesAdmin = !active && (before as StoredUser).role === 'admin' && !isDeactivated(before);
  if (deactivatesAdmin && (await countAdmins(auth)) <= 1) throw lastAdmin();
  const user = await ctx.internalAdapter.updateUser(userId, { deactivated: !active });
  // Two admins deactivating each other at once: the count after the write decides (as setUserRole).
  if (deactivatesAdmin && (await countAdmins(auth)) === 0) {
    await ctx.internalAdapter.updateUser(userId, { deactivated: false });
    throw lastAdmin();
  }
  if (!active) await ctx.internalAdapter.deleteUserSessions(userId);
  tokenCacheOf(auth).forgetUser(userId);
  return toUserDto(user as StoredUser);
}

/**
 * Sets a new password (the rule of creation) and ends the user's sessions, all but `keepSessionId`
 * (the calling admin's own session when they reset their own password).
 */
export async function resetUserPassword(
  auth: EventMonitorAuth,
  userId: string,
  password: string,
  keepSessionId?: string,
): Promise<UserDto> {
  await checkPassword(auth, password);
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.findUserById(userId);
  if (!user) throw new DomainError(DomainErrorCode.NOT_FOUND, `User ${userId} not found`);
  const hash = await ctx.password.hash(password);
  if (await ctx.internalAdapter.findCredentialAccount(userId)) {
    await ctx.internalAdapter.updatePassword(userId, hash);
  } else {
    await ctx.internalAdapter.linkAccount({ userId, providerId: 'credential', accountId: userId, password: hash });
  }
  const sessions = await ctx.internalAdapter.listSessions(userId);
  const ended = sessions.filter((session) => session.id !== keepSessionId).map((session) => session.token);
  if (ended.length > 0) await ctx.internalAdapter.deleteSessions(ended);
  return toUserDto(user as StoredUser);
}

function lastAdmin(): DomainError {
  return new DomainError(DomainErrorCode.CONFLICT, 'This is the last admin: make another user admin first');
}

export interface FirstAdminResult {
  created: boolean;
  email?: string;
  /** Only when the password was generated here: print it once. */
  generatedPassword?: string;
}

/**
 * Makes sure an admin exists: from ADMIN_EMAIL / ADMIN_PASSWORD when given, otherwise with a
 * random password that the caller prints once. Does nothing when an admin exists.
 */
export async function ensureFirstAdmin(
  auth: EventMonitorAuth,
  given: { email?: string; password?: string } = {},
): Promise<FirstAdminResult> {
  const ctx = await auth.$context;
  const admins = await ctx.internalAdapter.countTotalUsers([{ field: 'role', value: 'admin' }]);
  if (admins > 0) return { created: false };
  const email = given.email ?? 'admin@event-monitor.local';
  const generatedPassword = given.password ? undefined : randomBytes(12).toString('base64url');
  const existing = await ctx.internalAdapter.findUserByEmail(email.toLowerCase());
  if (existing) {
    await ctx.internalAdapter.updateUser(existing.user.id, { role: 'admin' });
    return { created: false, email };
  }
  await createUser(auth, {
    email,
    name: 'Administrator',
    password: given.password ?? (generatedPassword as string),
    role: 'admin',
  });
  return {
    created: true,
    email,
    ...(generatedPassword ? { generatedPassword } : {}),
  };
}
