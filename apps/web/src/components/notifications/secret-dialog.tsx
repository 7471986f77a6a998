'use client';

import { CheckIcon, CopyIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Input,
} from '@event-monitor/ui';
import { useCopy } from '../../client/hooks/use-copy';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useNotificationsText } from './notifications-text';

/**
 * A webhook's signing secret, once (the answer of create or rotateSecret): copy button, "not shown
 * again", and how a receiver verifies a delivery. The caller drops the secret on close (`onClose`
 * sets its state to null): it is never kept in a query cache or after the dialog.
 */
export function SecretDialog({ name, secret, onClose }: { name: string; secret: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const text = useNotificationsText();
  const { copied, copy: copyText, reset } = useCopy();
  const copy = () => copyText(secret);
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(open) => {
        if (!open) {
          reset();
          onClose();
        }
      }}
    >
      <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{text.secretTitle}</DialogTitle>
          <DialogDescription>{name}</DialogDescription>
        </DialogHeader>
        <Alert variant="warning">
          <AlertTitle>{text.secretLabel}</AlertTitle>
          <AlertDescription>{text.secretOnce}</AlertDescription>
        </Alert>
        <div className="flex gap-2">
          <Input
            readOnly
            value={secret ?? ''}
            aria-label={text.secretLabel}
            data-testid="webhook-secret"
            className="font-mono text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button type="button" variant="outline" onClick={() => void copy()}>
            {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
            {copied ? text.copied : text.copy}
          </Button>
        </div>
        <section className="flex flex-col gap-2 text-sm" aria-labelledby="secret-verify-title">
          <h3 id="secret-verify-title" className="font-medium">
            {text.verifyTitle}
          </h3>
          <p className="text-muted-foreground">{text.verifyIntro}</p>
          <ol className="text-muted-foreground list-decimal space-y-1 pl-5">
            {text.verifySteps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <p className="text-muted-foreground">{text.verifyLibrary}</p>
        </section>
        <DialogFooter>
          <Button
            type="button"
            onClick={() => {
              reset();
              onClose();
            }}
          >
            {t.common.close}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
