import { randomBytes } from 'node:crypto';
import { Argument, Option, type Command } from 'commander';
import { ROLES } from './constants';
import type { Connect } from './context';
import { details, table } from './output';
import { USER_HEAD, userRow } from './views';

type Role = (typeof ROLES)[number];

export function registerUserCommands(program: Command, connect: Connect): void {
  const users = program.command('users').description('Operators and their roles (admins only)');

  users
    .command('create')
    .description('Create a user who signs in with email and password')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
    .option('--password <password>', 'at least 10 characters (default: a generated one, printed once)')
    .action(
      async (options: { email: string; name: string; role: Role; password?: string }, command: Command) => {
        const ctx = connect(command);
        const generated = options.password ? undefined : randomBytes(18).toString('base64url');
        const user = await ctx.client.user.create.mutate({
          email: options.email,
          name: options.name,
          role: options.role,
          password: options.password ?? generated ?? '',
        });
        if (generated) ctx.io.stderr('Pass the password on safely: it is shown only once.\n');
        ctx.emit(generated ? { ...user, password: generated } : user, () =>
          [
            details([
              ['User id', user.id],
              ['Email', user.email],
              ['Name', user.name],
              ['Role', user.role],
            ]),
            ...(generated ? [`Password: ${generated}`] : []),
          ].join('\n'),
        );
      },
    );

  users
    .command('list')
    .description('All users')
    .action(async (_options: unknown, command: Command) => {
      const ctx = connect(command);
      const list = await ctx.client.user.list.query();
      ctx.emit(list, () => table(USER_HEAD, list.map(userRow), 'No users.'));
    });

  users
    .command('set-role')
    .description("Change a user's role")
    .argument('<userId>')
    .addArgument(new Argument('<role>').choices(ROLES))
    .action(async (userId: string, role: Role, _options: unknown, command: Command) => {
      const ctx = connect(command);
      const user = await ctx.client.user.setRole.mutate({ user_id: userId, role });
      ctx.emit(user, () => `${user.email} is now ${user.role}.`);
    });
}
