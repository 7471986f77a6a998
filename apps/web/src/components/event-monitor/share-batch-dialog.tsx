'use client';

import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { XIcon } from 'lucide-react';
import { Badge, Button, ConfirmDialog, Input, Label, toast } from '@event-monitor/ui';
import { errorMessage, fieldErrorsOf } from '../../client/errors';
import { useDebouncedValue } from '../../client/hooks/use-debounced-value';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useI18n } from '../../client/i18n/i18n-provider';
import { FIND_USERS_IDS_MAX } from '@event-monitor/contracts';
import { trpc } from '../../client/trpc';
import type { Batch } from '../../client/types';

const LISTS = ['read_access', 'write_access', 'admin_access'] as const;
type ListField = (typeof LISTS)[number];
interface PickedUser {
  id: string;
  name: string;
  email: string;
  active: boolean;
}

const shownName = (user: PickedUser | undefined, id: string) => user?.name || user?.email || id;

/** A name-or-e-mail search that adds the chosen user (arrows move, Enter adds, Escape closes). */
function UserPicker({ label, exclude, onPick }: { label: string; exclude: readonly string[]; onPick: (user: PickedUser) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const q = useDebouncedValue(text.trim(), 200);
  const found = trpc.batch.findUsers.useQuery({ q }, { enabled: q.length > 0 });
  const options = (found.data?.users ?? []).filter((user) => !exclude.includes(user.id));
  const listId = `${id}-list`;
  const shown = open && q.length > 0 && text.trim() === q;

  const pick = (user: PickedUser) => {
    onPick(user);
    setText('');
    setOpen(false);
    setActive(0);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (options.length === 0 ? 0 : (index + step + options.length) % options.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const user = options[active];
      if (shown && user) pick(user);
    } else if (event.key === 'Escape' && shown) {
      // Closes the list, not the dialog.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="relative">
      <Label htmlFor={`${id}-input`} className="sr-only">
        {label}
      </Label>
      <Input
        id={`${id}-input`}
        role="combobox"
        autoComplete="off"
        placeholder={t.share.searchPlaceholder}
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={shown ? listId : undefined}
        aria-activedescendant={shown && options[active] ? `${listId}-${active}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      {shown ? (
        <ul id={listId} role="listbox" aria-label={label} className="bg-popover absolute z-50 mt-1 w-full rounded-md border p-1 shadow-md">
          {options.length === 0 ? (
            <li role="presentation" className="text-muted-foreground px-2 py-1.5 text-sm">
              {found.isFetching ? t.share.searching : t.share.noMatch}
            </li>
          ) : (
            options.map((user, index) => (
              <li
                key={user.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                className={`cursor-pointer rounded-sm px-2 py-1.5 text-sm ${index === active ? 'bg-accent text-accent-foreground' : ''}`}
                // mousedown, not click: the input's blur would close the list first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(user);
                }}
              >
                <span className="font-medium">{user.name || user.email}</span>
                {user.name ? <span className="text-muted-foreground ml-2 text-xs">{user.email}</span> : null}
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Who may read, change and administer a batch: its visibility and three user lists, built with
 * the picker. Rendered only for the batch's administrators (its `can.admin`); the owner stays in
 * every list (the server keeps it too).
 */
export function ShareBatchDialog({ batch, open, onOpenChange }: { batch: Batch; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const owner = batch.user_id ?? null;
  const [visibility, setVisibility] = useState(batch.access_control.visibility);
  const [lists, setLists] = useState<Record<ListField, string[]>>(() => ({
    read_access: [...batch.access_control.read_access],
    write_access: [...batch.access_control.write_access],
    admin_access: [...batch.access_control.admin_access],
  }));
  const [picked, setPicked] = useState<Record<string, PickedUser>>({});
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const ids = useMemo(
    () => [...new Set([...(owner ? [owner] : []), ...LISTS.flatMap((field) => batch.access_control[field])])],
    [batch.access_control, owner],
  );
  // In pages: the ids travel in the query string (FIND_USERS_IDS_MAX per request).
  const known = trpc.useQueries((t) =>
    Array.from({ length: Math.ceil(ids.length / FIND_USERS_IDS_MAX) }, (_, page) =>
      t.batch.findUsers({ ids: ids.slice(page * FIND_USERS_IDS_MAX, (page + 1) * FIND_USERS_IDS_MAX) }),
    ),
  );
  const knownUsers = known.flatMap((query) => query.data?.users ?? []);
  const knownKey = knownUsers.map((user) => user.id).join(',');
  const users = useMemo(() => {
    const byId: Record<string, PickedUser> = {};
    for (const user of knownUsers) byId[user.id] = user;
    return { ...byId, ...picked };
  }, [knownKey, picked]); // knownKey stands for knownUsers (a new array every render)

  const share = trpc.batch.share.useMutation({
    onSuccess: () => {
      toast.success(t.share.saved);
      void invalidate();
    },
    onError: (error) => {
      setProblems(fieldErrorsOf(error));
      toast.error(errorMessage(error, t));
    },
  });
  const labels: Record<ListField, string> = { read_access: t.share.read, write_access: t.share.write, admin_access: t.share.admin };
  const groupName = useId();

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={t.share.title(batch.batch_name)}
      description={t.share.description}
      confirmLabel={t.share.save}
      cancelLabel={t.common.cancel}
      onConfirm={() => share.mutateAsync({ batch_id: batch.batch_id, visibility, ...lists })}
      className="max-h-[90vh] overflow-y-auto sm:max-w-xl"
    >
      <div className="flex flex-col gap-4">
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1 text-sm font-medium">{t.share.visibility}</legend>
          {(['private', 'public'] as const).map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name={groupName}
                value={value}
                checked={visibility === value}
                onChange={() => setVisibility(value)}
              />
              {t.share[value]}
            </label>
          ))}
        </fieldset>
        {LISTS.map((field) => (
          <fieldset key={field} className="flex flex-col gap-1.5" aria-invalid={problems[field] ? true : undefined}>
            <legend className="mb-1 text-sm font-medium">{labels[field]}</legend>
            <ul className="flex flex-wrap gap-1.5" aria-label={labels[field]}>
              {lists[field].length === 0 ? <li className="text-muted-foreground text-sm">{t.share.nobody}</li> : null}
              {lists[field].map((id) => {
                const name = shownName(users[id], id);
                return (
                  <li key={id}>
                    <Badge variant="secondary" className="gap-1 pr-1" title={users[id]?.email ?? id}>
                      {name}
                      {id === owner ? <span className="text-muted-foreground">({t.share.owner})</span> : null}
                      {users[id] && !users[id].active ? <span className="text-muted-foreground">({t.share.deactivated})</span> : null}
                      {id === owner ? null : (
                        <Button
                          type="button"
                          variant="ghost"
                          size="icon"
                          className="size-5"
                          aria-label={t.share.remove(name, labels[field])}
                          onClick={() => setLists((prev) => ({ ...prev, [field]: prev[field].filter((other) => other !== id) }))}
                        >
                          <XIcon aria-hidden="true" />
                        </Button>
                      )}
                    </Badge>
                  </li>
                );
              })}
            </ul>
            <UserPicker
              label={t.share.add(labels[field])}
              exclude={lists[field]}
              onPick={(user) => {
                setPicked((prev) => ({ ...prev, [user.id]: user }));
                setLists((prev) => ({ ...prev, [field]: [...prev[field], user.id] }));
              }}
            />
            {problems[field] ? <p className="text-destructive text-xs">{problems[field]?.join(' ')}</p> : null}
          </fieldset>
        ))}
      </div>
    </ConfirmDialog>
  );
}
