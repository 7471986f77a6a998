import { z } from 'zod';
import { createUser, listUsers, ROLES, setUserRole } from '@event-monitor/auth';
import type { Role } from '@event-monitor/domain';
import { adminProcedure, protectedProcedure, router } from '../trpc';

const RoleInput = z.enum(ROLES as [Role, ...Role[]]);

export const CreateUserInput = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(10).max(128),
  role: RoleInput,
});

export const userRouter = router({
  /** The signed-in caller: who, which role, through which door. */
  me: protectedProcedure.query(({ ctx }) => ({
    id: ctx.principal.actor.userId,
    role: ctx.principal.actor.role,
    email: ctx.principal.email ?? null,
    name: ctx.principal.name ?? null,
    via: ctx.principal.via,
    scopes: [...ctx.principal.scopes],
  })),
  list: adminProcedure.query(async ({ ctx }) => listUsers(await ctx.getAuth())),
  create: adminProcedure
    .input(CreateUserInput)
    .mutation(async ({ ctx, input }) => createUser(await ctx.getAuth(), input)),
  setRole: adminProcedure
    .input(z.strictObject({ user_id: z.string().min(1).max(200), role: RoleInput }))
    .mutation(async ({ ctx, input }) => setUserRole(await ctx.getAuth(), input.user_id, input.role)),
});
