import { randomBytes } from 'node:crypto';
import { DomainError, DomainErrorCode, type Role } from '@event-monitor/domain';
import type { EventMonitorAuth } from './auth';
import { isRole } from './principal';
import { tokenCacheOf } from './token-cache';

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
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
}

function toUserDto(user: StoredUser): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: isRole(user.role) ? user.role : 'viewer',
    createdAt: user.createdAt,
  };
}

/** Creates a user with an email + password sign-in (hashed by better-auth). */
export async function createUser(auth: EventMonitorAuth, input: CreateUserInput): Promise<UserDto> {
  const ctx = await auth.$context;
  const email = input.email.trim().toLowerCase();
  const { minPasswordLength, maxPasswordLength } = ctx.password.config;
  if (input.password.length < minPasswordLength || input.password.length > maxPasswordLength) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'Invalid password', {
      fieldErrors: {
        password: [`Must be ${minPasswordLength} to ${maxPasswordLength} characters`],
      },
      formErrors: [],
    });
  }
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

async function countAdmins(auth: EventMonitorAuth): Promise<number> {
  const ctx = await auth.$context;
  return ctx.internalAdapter.countTotalUsers([{ field: 'role', value: 'admin' }]);
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
