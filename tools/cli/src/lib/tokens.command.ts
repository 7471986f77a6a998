import type { Command } from 'commander';
import { TOKEN_SCOPES } from './constants';
import type { Connect } from './context';
import { details, formatDate, table } from './output';
import { integer, listOf } from './parsers';
import { TOKEN_HEAD, tokenRow } from './views';

export function registerTokenCommands(program: Command, connect: Connect): void {
  const tokens = program.command('tokens').description('API tokens for workers and scripts (admins only)');

  tokens
    .command('create')
    .description('Create a token; it is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--scopes <list>', `comma-separated: ${TOKEN_SCOPES.join(', ')}`, listOf(TOKEN_SCOPES))
    .option('--user <userId>', 'the user the token acts for (default: you)')
    .option('--expires-days <n>', 'expire after this many days', integer(1, 3650))
    .action(
      async (
        options: {
          name: string;
          scopes: (typeof TOKEN_SCOPES)[number][];
          user?: string;
          expiresDays?: number;
        },
        command: Command,
      ) => {
        const ctx = connect(command);
        const created = await ctx.client.token.create.mutate({
          name: options.name,
          scopes: options.scopes,
          user_id: options.user,
          expires_in_days: options.expiresDays,
        });
        ctx.io.stderr('Store this token now: it is shown only once and cannot be read back.\n');
        ctx.emit(created, () =>
          [
            details([
              ['Token id', created.id],
              ['Name', created.name],
              ['User', created.userId],
              ['Scopes', created.scopes.join(',')],
              ['Expires', formatDate(created.expiresAt) || 'never'],
            ]),
            `Token: ${created.token}`,
          ].join('\n'),
        );
      },
    );

  tokens
    .command('list')
    .description('All tokens (never the tokens themselves)')
    .option('--user <userId>', "only this user's tokens")
    .action(async (options: { user?: string }, command: Command) => {
      const ctx = connect(command);
      const list = await ctx.client.token.list.query(options.user ? { user_id: options.user } : undefined);
      ctx.emit(list, () => table(TOKEN_HEAD, list.map(tokenRow), 'No tokens.'));
    });

  tokens
    .command('revoke')
    .description('Revoke a token; it is refused from the next request on')
    .argument('<tokenId>')
    .action(async (tokenId: string, _options: unknown, command: Command) => {
      const ctx = connect(command);
      const revoked = await ctx.client.token.revoke.mutate({ token_id: tokenId });
      ctx.emit(revoked, () => `Revoked token ${revoked.id} (${revoked.name}).`);
    });
}
