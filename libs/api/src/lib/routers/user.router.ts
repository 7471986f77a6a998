import { z } from 'zod';
import { createUser, getUser, listUsers, resetUserPassword, ROLES, setUserActive, setUserRole } from '@event-monitor/auth';
import { recordAudit, type Role } from '@event-monitor/domain';
import { adminProcedure, protectedProcedure, router } from '../trpc';

const RoleInput = z.enum(ROLES as [Role, ...Role[]]);

export const CreateUserInput = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(10).max(128),
  role: RoleInput,
});

const UserId = z.string().min(1).max(200);

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
  create: adminProcedure.input(CreateUserInput).mutation(async ({ ctx, input }) => {
    const user = await createUser(await ctx.getAuth(), input);
    await recordAudit(await ctx.getDomain(), ctx.actor, {
      action: 'user.create',
      target: { type: 'user', ids: [user.id] },
      count: 1,
      details: { email: user.email, role: user.role },
    });
    return user;
  }),
  setRole: adminProcedure
    .input(z.strictObject({ user_id: z.string().min(1).max(200), role: RoleInput }))
    .mutation(async ({ ctx, input }) => {
      const auth = await ctx.getAuth();
      const before = await getUser(auth, input.user_id);
      const user = await setUserRole(auth, input.user_id, input.role);
      await recordAudit(await ctx.getDomain(), ctx.actor, {
        action: 'user.set_role',
        target: { type: 'user', ids: [user.id] },
        count: 1,
        details: { from: before?.role, to: user.role },
      });
      return user;
    }),
  /** Deactivates (sessions end, tokens refused at once) or reactivates a user. */
  setActive: adminProcedure
    .input(z.strictObject({ user_id: UserId, active: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const user = await setUserActive(await ctx.getAuth(), ctx.principal.actor.userId, input.user_id, input.active);
      await recordAudit(await ctx.getDomain(), ctx.actor, {
        action: input.active ? 'user.reactivate' : 'user.deactivate',
        target: { type: 'user', ids: [user.id] },
        count: 1,
        details: { email: user.email },
      });
      return user;
    }),
  /** An admin sets a new password (the rule of creation); the user's other sessions end. */
  resetPassword: adminProcedure
    .input(z.strictObject({ user_id: UserId, password: CreateUserInput.shape.password }))
    .mutation(async ({ ctx, input }) => {
      const user = await resetUserPassword(
        await ctx.getAuth(),
        input.user_id,
        input.password,
        input.user_id === ctx.principal.actor.userId ? ctx.principal.sessionId : undefined,
      );
      // Never the password: who and whose.
      await recordAudit(await ctx.getDomain(), ctx.actor, {
        action: 'user.reset_password',
        target: { type: 'user', ids: [user.id] },
        count: 1,
        details: { email: user.email },
      });
      return user;
    }),
});
