'use client';

import { useState, type FormEvent } from 'react';
import { Loader2Icon, PlusIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Badge,
  Button,
  ConfirmDialog,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Input,
  Label,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
} from '@event-monitor/ui';
import { errorMessage, fieldErrorsOf } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useSessionUser, type Role } from '../../client/session-context';
import type { RouterOutputs } from '@event-monitor/api';
import { trpc } from '../../client/trpc';
import { AdminPageHeader } from './admin-nav';

const ROLES: Role[] = ['admin', 'operator', 'viewer'];

function RoleSelect({
  value,
  onChange,
  disabled,
  label,
  id,
}: {
  value: Role;
  onChange: (r: Role) => void;
  disabled?: boolean;
  label: string;
  id?: string;
}) {
  const { t } = useI18n();
  return (
    <Select value={value} onValueChange={(v) => onChange(v as Role)} disabled={disabled}>
      <SelectTrigger className="w-36" aria-label={label} id={id}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {ROLES.map((role) => (
          <SelectItem key={role} value={role}>
            {t.user.role[role]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

function AddUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useI18n();
  const utils = trpc.useUtils();
  const [role, setRole] = useState<Role>('operator');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const create = trpc.user.create.useMutation({
    onSuccess: (user) => {
      toast.success(t.admin.userCreated(user.email));
      void utils.user.list.invalidate();
      onOpenChange(false);
    },
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      toast.error(errorMessage(error, t));
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setErrors({});
    create.mutate({
      email: String(data.get('email') ?? ''),
      name: String(data.get('name') ?? ''),
      password: String(data.get('password') ?? ''),
      role,
    });
  };
  const field = (name: string, label: string, type: string, hint?: string) => (
    <div className="flex flex-col gap-2">
      <Label htmlFor={`user-${name}`}>{label}</Label>
      <Input
        id={`user-${name}`}
        name={name}
        type={type}
        required
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] || hint ? `user-${name}-msg` : undefined}
        minLength={name === 'password' ? 10 : undefined}
      />
      {errors[name] || hint ? (
        <p
          id={`user-${name}-msg`}
          className={errors[name] ? 'text-destructive text-sm' : 'text-muted-foreground text-xs'}
        >
          {errors[name]?.join(' ') ?? hint}
        </p>
      ) : null}
    </div>
  );
  return (
    <Dialog open={open} onOpenChange={(next) => !create.isPending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{t.admin.addUser}</DialogTitle>
          <DialogDescription>{t.admin.usersDescription}</DialogDescription>
        </DialogHeader>
        <form className="flex flex-col gap-4" onSubmit={onSubmit}>
          {field('email', t.admin.email, 'email')}
          {field('name', t.admin.name, 'text')}
          {field('password', t.admin.password, 'password', t.admin.passwordHint)}
          <div className="flex flex-col gap-2">
            <Label htmlFor="user-role">{t.admin.role}</Label>
            <RoleSelect id="user-role" value={role} onChange={setRole} label={t.admin.role} />
          </div>
          <DialogFooter>
            <Button
              type="button"
              variant="outline"
              onClick={() => onOpenChange(false)}
              disabled={create.isPending}
            >
              {t.common.cancel}
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {t.admin.addUser}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

type UserRow = RouterOutputs['user']['list'][number];

/** The admin sets a new password (the rule of creation); the user's other sessions end. */
function ResetPasswordDialog({ user, onOpenChange }: { user: UserRow; onOpenChange: (open: boolean) => void }) {
  const { t } = useI18n();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const reset = trpc.user.resetPassword.useMutation({
    onSuccess: () => {
      toast.success(t.admin.passwordReset(user.email));
      onOpenChange(false);
    },
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      toast.error(errorMessage(error, t));
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    reset.mutate({ user_id: user.id, password: String(new FormData(event.currentTarget).get('password') ?? '') });
  };
  const message = errors['password']?.join(' ');
  return (
    <Dialog open onOpenChange={(next) => !reset.isPending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{t.admin.resetPasswordTitle(user.email)}</DialogTitle>
          <DialogDescription>{t.admin.resetPasswordDescription}</DialogDescription>
        </DialogHeader>
        <form className="flex flex-col gap-4" onSubmit={onSubmit}>
          <div className="flex flex-col gap-2">
            <Label htmlFor="reset-password">{t.admin.newPassword}</Label>
            <Input
              id="reset-password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              maxLength={128}
              aria-invalid={message ? true : undefined}
              aria-describedby="reset-password-msg"
            />
            <p id="reset-password-msg" className={message ? 'text-destructive text-sm' : 'text-muted-foreground text-xs'}>
              {message ?? t.admin.passwordHint}
            </p>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)} disabled={reset.isPending}>
              {t.common.cancel}
            </Button>
            <Button type="submit" disabled={reset.isPending}>
              {reset.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {t.admin.resetPassword}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** /admin/users: who may sign in, with which role. */
export function UsersAdmin() {
  const { t, formatDateTime } = useI18n();
  const me = useSessionUser();
  const utils = trpc.useUtils();
  const users = trpc.user.list.useQuery();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [toggling, setToggling] = useState<UserRow | null>(null);
  const setActive = trpc.user.setActive.useMutation({
    onSuccess: (user) => {
      toast.success(user.active ? t.admin.userReactivated(user.email) : t.admin.userDeactivated(user.email));
      void utils.user.list.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
  const setRole = trpc.user.setRole.useMutation({
    onSuccess: (user) => {
      toast.success(t.admin.roleChanged(user.email, t.user.role[user.role]));
      void utils.user.list.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });

  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader
        title={t.admin.usersTitle}
        description={t.admin.usersDescription}
        action={
          <Button onClick={() => setAdding(true)}>
            <PlusIcon aria-hidden="true" />
            {t.admin.addUser}
          </Button>
        }
      />
      {users.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : users.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{errorMessage(users.error, t)}</AlertDescription>
        </Alert>
      ) : (
        <div className="overflow-x-auto rounded-md border">
          <Table aria-label={t.admin.usersTitle}>
            <TableHeader>
              <TableRow>
                <TableHead>{t.admin.name}</TableHead>
                <TableHead>{t.admin.email}</TableHead>
                <TableHead>{t.admin.role}</TableHead>
                <TableHead>{t.admin.status}</TableHead>
                <TableHead className="hidden sm:table-cell">{t.admin.lastSignIn}</TableHead>
                <TableHead className="hidden sm:table-cell">{t.admin.created}</TableHead>
                <TableHead>
                  <span className="sr-only">{t.common.actions}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.map((user) => (
                <TableRow key={user.id}>
                  <TableCell className="font-medium">
                    {user.name}
                    {user.id === me.id ? <span className="text-muted-foreground ml-1 text-xs">{t.admin.you}</span> : null}
                  </TableCell>
                  <TableCell className="break-all">{user.email}</TableCell>
                  <TableCell>
                    <RoleSelect
                      value={user.role}
                      disabled={user.id === me.id || setRole.isPending}
                      label={t.admin.changeRole(user.email)}
                      onChange={(role) => setRole.mutate({ user_id: user.id, role })}
                    />
                  </TableCell>
                  <TableCell>
                    <Badge variant={user.active ? 'outline' : 'destructive'}>
                      {user.active ? t.admin.active : t.admin.deactivatedBadge}
                    </Badge>
                  </TableCell>
                  <TableCell className="hidden text-xs sm:table-cell">
                    {user.lastSignInAt ? formatDateTime(user.lastSignInAt) : t.admin.never}
                  </TableCell>
                  <TableCell className="hidden text-xs sm:table-cell">
                    {formatDateTime(user.createdAt)}
                  </TableCell>
                  <TableCell>
                    <div className="flex justify-end gap-2">
                      <Button variant="outline" size="sm" onClick={() => setResetting(user)}>
                        {t.admin.resetPassword}
                      </Button>
                      {user.id === me.id ? null : (
                        <Button
                          variant="outline"
                          size="sm"
                          className={user.active ? 'text-destructive' : undefined}
                          onClick={() => setToggling(user)}
                        >
                          {user.active ? t.admin.deactivate : t.admin.reactivate}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {adding ? <AddUserDialog open onOpenChange={setAdding} /> : null}
      {resetting ? <ResetPasswordDialog user={resetting} onOpenChange={(open) => !open && setResetting(null)} /> : null}
      <ConfirmDialog
        open={toggling !== null}
        onOpenChange={(open) => !open && setToggling(null)}
        title={
          toggling?.active === false
            ? t.admin.reactivateTitle(toggling.email)
            : t.admin.deactivateTitle(toggling?.email ?? '')
        }
        description={toggling?.active === false ? t.admin.reactivateDescription : t.admin.deactivateDescription}
        confirmLabel={toggling?.active === false ? t.admin.reactivate : t.admin.deactivate}
        cancelLabel={t.common.cancel}
        destructive={toggling?.active !== false}
        onConfirm={() =>
          toggling ? setActive.mutateAsync({ user_id: toggling.id, active: !toggling.active }) : undefined
        }
      />
    </div>
  );
}
