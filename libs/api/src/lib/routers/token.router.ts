import { z } from 'zod';
import {
  createApiToken,
  getUser,
  listApiTokens,
  revokeApiToken,
  TOKEN_SCOPES,
  type TokenScope,
} from '@event-monitor/auth';
import { TOKEN_NAME_MAX_LENGTH } from '@event-monitor/contracts';
import { DomainError, DomainErrorCode, recordAudit } from '@event-monitor/domain';
import { adminProcedure, router } from '../trpc';

export const CreateTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(TOKEN_NAME_MAX_LENGTH),
  scopes: z
    .array(z.enum(TOKEN_SCOPES as unknown as [TokenScope, ...TokenScope[]]))
    .min(1)
    .max(3),
  /** The user the token acts for; the calling admin when omitted. */
  user_id: z.string().min(1).max(200).optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});

export const tokenRouter = router({
  list: adminProcedure
    .input(z.strictObject({ user_id: z.string().min(1).max(200).optional() }).optional())
    .query(async ({ ctx, input }) => listApiTokens(await ctx.getAuth(), { userId: input?.user_id })),
  /** Returns the token once; only its hash is stored (the audit event never holds the token). */
  create: adminProcedure.input(CreateTokenInput).mutation(async ({ ctx, input }) => {
    const auth = await ctx.getAuth();
    const userId = input.user_id ?? ctx.principal.actor.userId;
    // For another user: that user must exist (the token acts with their rights, never the admin's).
    const owner = userId === ctx.principal.actor.userId ? null : await getUser(auth, userId);
    if (userId !== ctx.principal.actor.userId && !owner) {
      throw new DomainError(DomainErrorCode.NOT_FOUND, `User ${userId} not found`);
    }
    const created = await createApiToken(auth, {
      userId,
      name: input.name,
      scopes: input.scopes,
      expiresInDays: input.expires_in_days,
    });
    await recordAudit(await ctx.getDomain(), ctx.actor, {
      action: 'token.create',
      target: { type: 'token', ids: [created.id] },
      count: 1,
      details: {
        name: created.name,
        scopes: created.scopes,
        user_id: created.userId,
        ...(owner ? { owner: owner.email } : {}),
      },
    });
    return created;
  }),
  revoke: adminProcedure
    .input(z.strictObject({ token_id: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeApiToken(await ctx.getAuth(), input.token_id);
      await recordAudit(await ctx.getDomain(), ctx.actor, {
        action: 'token.revoke',
        target: { type: 'token', ids: [revoked.id] },
        count: 1,
        details: { name: revoked.name, user_id: revoked.userId },
      });
      return revoked;
    }),
});
