'use client';

import { useState, type FormEvent } from 'react';
import { CheckIcon, CopyIcon, Loader2Icon, PlusIcon } from 'lucide-react';
import { TOKEN_NAME_MAX_LENGTH } from '@event-monitor/contracts';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Badge,
  Button,
  Checkbox,
  ConfirmDialog,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  EmptyState,
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
import { errorMessage } from '../../client/errors';
import { useCopy } from '../../client/hooks/use-copy';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useSessionUser } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { AdminPageHeader } from './admin-nav';

const SCOPES = ['worker', 'read', 'write'] as const;
type Scope = (typeof SCOPES)[number];

function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useI18n();
  const utils = trpc.useUtils();
  const me = useSessionUser();
  const users = trpc.user.list.useQuery();
  // The token acts as this user, with this user's rights (the admin's by default).
  const [owner, setOwner] = useState<string>(me.id);
  const [scopes, setScopes] = useState<Scope[]>(['worker', 'read']);
  const [created, setCreated] = useState<string | null>(null);
  const { copied, copy: copyText } = useCopy();
  const create = trpc.token.create.useMutation({
    onSuccess: (token) => {
      setCreated(token.token);
      toast.success(t.admin.tokenCreated);
      void utils.token.list.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const days = String(data.get('expires') ?? '').trim();
    create.mutate({
      name: String(data.get('name') ?? ''),
      scopes,
      ...(owner === me.id ? {} : { user_id: owner }),
      expires_in_days: days ? Number(days) : undefined,
    });
  };
  const copy = () => copyText(created);

  return (
    <Dialog open={open} onOpenChange={(next) => !create.isPending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{t.admin.createToken}</DialogTitle>
          <DialogDescription>{t.admin.tokensDescription}</DialogDescription>
        </DialogHeader>
        {created ? (
          <div className="flex flex-col gap-3">
            <Alert variant="warning">
              <AlertTitle>{t.admin.tokenCreated}</AlertTitle>
              <AlertDescription>{t.admin.tokenOnce}</AlertDescription>
            </Alert>
            <div className="flex gap-2">
              <Input
                readOnly
                value={created}
                aria-label={t.admin.tokenCreated}
                className="font-mono text-xs"
                onFocus={(e) => e.currentTarget.select()}
              />
              <Button type="button" variant="outline" onClick={() => void copy()}>
                {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
                {copied ? t.admin.copied : t.admin.copy}
              </Button>
            </div>
            <DialogFooter>
              <Button type="button" onClick={() => onOpenChange(false)}>
                {t.common.close}
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <form className="flex flex-col gap-4" onSubmit={onSubmit}>
            <div className="flex flex-col gap-2">
              <Label htmlFor="token-name">{t.admin.tokenName}</Label>
              <Input id="token-name" name="name" required maxLength={TOKEN_NAME_MAX_LENGTH} />
            </div>
            <div className="flex flex-col gap-2">
              <Label htmlFor="token-owner">{t.admin.tokenFor}</Label>
              <Select value={owner} onValueChange={setOwner} disabled={!users.data}>
                <SelectTrigger id="token-owner" className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {(users.data ?? [{ id: me.id, email: me.email ?? '', name: me.name ?? '', active: true }])
                    .filter((user) => user.active || user.id === owner)
                    .map((user) => (
                      <SelectItem key={user.id} value={user.id}>
                        {user.name ? `${user.name} (${user.email})` : user.email}
                        {user.id === me.id ? ` ${t.admin.you}` : ''}
                      </SelectItem>
                    ))}
                </SelectContent>
              </Select>
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium">{t.admin.scopes}</legend>
              {SCOPES.map((scope) => (
                <div key={scope} className="flex items-center gap-2">
                  <Checkbox
                    id={`scope-${scope}`}
                    checked={scopes.includes(scope)}
                    onCheckedChange={(v) =>
                      setScopes((current) =>
                        v === true ? [...current, scope] : current.filter((s) => s !== scope),
                      )
                    }
                  />
                  <Label htmlFor={`scope-${scope}`} className="font-normal">
                    {t.admin.scope[scope]}
                  </Label>
                </div>
              ))}
            </fieldset>
            <div className="flex flex-col gap-2">
              <Label htmlFor="token-expires">{t.admin.expiresInDays}</Label>
              <Input id="token-expires" name="expires" type="number" min={1} max={3650} />
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
              <Button type="submit" disabled={create.isPending || scopes.length === 0}>
                {create.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
                {t.admin.createToken}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** /admin/tokens: API tokens for workers and scripts (shown once), and revoking them. */
export function TokensAdmin() {
  const { t, formatDateTime } = useI18n();
  const utils = trpc.useUtils();
  const tokens = trpc.token.list.useQuery();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const revoke = trpc.token.revoke.useMutation({
    onSuccess: () => {
      toast.success(t.admin.revoked);
      void utils.token.list.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });

  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader
        title={t.admin.tokensTitle}
        description={t.admin.tokensDescription}
        action={
          <Button onClick={() => setCreating(true)}>
            <PlusIcon aria-hidden="true" />
            {t.admin.createToken}
          </Button>
        }
      />
      {tokens.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : tokens.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{errorMessage(tokens.error, t)}</AlertDescription>
        </Alert>
      ) : tokens.data.length === 0 ? (
        <EmptyState title={t.admin.noTokens} />
      ) : (
        <div className="overflow-x-auto rounded-md border">
          <Table aria-label={t.admin.tokensTitle}>
            <TableHeader>
              <TableRow>
                <TableHead>{t.admin.name}</TableHead>
                <TableHead>{t.admin.owner}</TableHead>
                <TableHead>{t.admin.scopes}</TableHead>
                <TableHead className="hidden md:table-cell">{t.admin.created}</TableHead>
                <TableHead className="hidden md:table-cell">{t.admin.lastUsed}</TableHead>
                <TableHead className="hidden md:table-cell">{t.admin.expires}</TableHead>
                <TableHead>
                  <span className="sr-only">{t.common.actions}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tokens.data.map((token) => (
                <TableRow key={token.id}>
                  <TableCell className="font-medium">
                    {token.name}
                    {token.start ? (
                      <span className="text-muted-foreground ml-2 font-mono text-xs">{token.start}…</span>
                    ) : null}
                  </TableCell>
                  <TableCell className="break-all" title={token.owner?.email}>
                    {token.owner ? (
                      token.owner.name || token.owner.email
                    ) : (
                      <span className="text-muted-foreground italic">{t.admin.unknownOwner}</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      {token.scopes.map((scope) => (
                        <Badge key={scope} variant="outline">
                          {scope}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                  <TableCell className="hidden text-xs md:table-cell">
                    {formatDateTime(token.createdAt)}
                  </TableCell>
                  <TableCell className="hidden text-xs md:table-cell">
                    {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t.admin.never}
                  </TableCell>
                  <TableCell className="hidden text-xs md:table-cell">
                    {token.expiresAt ? formatDateTime(token.expiresAt) : t.admin.never}
                  </TableCell>
                  <TableCell className="text-right">
                    <Button
                      variant="outline"
                      size="sm"
                      className="text-destructive"
                      onClick={() => setRevoking({ id: token.id, name: token.name })}
                    >
                      {t.admin.revoke}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {creating ? <CreateTokenDialog open onOpenChange={setCreating} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={t.admin.revokeTitle(revoking?.name ?? '')}
        description={t.admin.revokeDescription}
        confirmLabel={t.admin.revoke}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={() => (revoking ? revoke.mutateAsync({ token_id: revoking.id }) : undefined)}
      />
    </div>
  );
}
