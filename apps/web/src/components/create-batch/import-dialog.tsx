'use client';

import { useState } from 'react';
import {
  Alert,
  AlertDescription,
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Input,
  Label,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { parseSchedule, type ImportedRow, type ImportResult } from './job-rows';

const PREVIEW_LIMIT = 200;

export interface ImportDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  replaceByDefault: boolean;
  onImport: (rows: ImportedRow[], replace: boolean) => void;
}

/** Reads a CSV or JSON schedule, previews it with per-row errors, and hands the valid rows to the form. */
export function ImportDialog({ open, onOpenChange, replaceByDefault, onImport }: ImportDialogProps) {
  const { t } = useI18n();
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [replace, setReplace] = useState(replaceByDefault);

  const reset = () => {
    setResult(null);
    setError(null);
  };

  const onFile = async (file: File | undefined) => {
    reset();
    setReplace(replaceByDefault);
    if (!file) return;
    try {
      const parsed = await parseSchedule(file.name, await file.text(), t);
      if (parsed.rows.length === 0) setError(t.createBatch.emptyFile);
      else setResult(parsed);
    } catch (e) {
      setError(`${t.createBatch.importFailed} ${e instanceof Error ? e.message : ''}`.trim());
    }
  };

  const valid = result?.rows.filter((r) => r.errors.length === 0) ?? [];
  const invalid = (result?.rows.length ?? 0) - valid.length;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
    >
      <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>{t.createBatch.import}</DialogTitle>
          <DialogDescription>{t.createBatch.importHint}</DialogDescription>
        </DialogHeader>
        <div className="flex flex-col gap-2">
          <Label htmlFor="schedule-file">{t.createBatch.importFile}</Label>
          <Input
            id="schedule-file"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(event) => void onFile(event.target.files?.[0])}
          />
        </div>
        {error ? (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        ) : null}
        {result ? (
          <div className="flex flex-col gap-3">
            <div>
              <h3 className="font-medium">{t.createBatch.previewTitle(result.rows.length, invalid)}</h3>
              <p className="text-muted-foreground text-sm">{t.createBatch.previewDescription}</p>
            </div>
            {result.warnings.length > 0 ? (
              <ul className="text-warning list-inside list-disc text-xs">
                {result.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            <div className="max-h-80 overflow-auto rounded-md border">
              <Table aria-label={t.createBatch.previewTitle(result.rows.length, invalid)}>
                <TableHeader>
                  <TableRow>
                    <TableHead>#</TableHead>
                    <TableHead>{t.job.param.event}</TableHead>
                    <TableHead>{t.job.param.session}</TableHead>
                    <TableHead>{t.job.param.speakers}</TableHead>
                    <TableHead>{t.jobs.language}</TableHead>
                    <TableHead>{t.jobs.status}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {result.rows.slice(0, PREVIEW_LIMIT).map(({ index, row, errors }) => (
                    <TableRow key={index} data-state={errors.length > 0 ? 'selected' : undefined}>
                      <TableCell className="tabular-nums">{index + 1}</TableCell>
                      <TableCell className="max-w-40 truncate">{row.event}</TableCell>
                      <TableCell className="max-w-56 truncate">{row.session}</TableCell>
                      <TableCell className="max-w-40 truncate">{row.speakers}</TableCell>
                      <TableCell className="font-mono text-xs">
                        {row.source_language} → {row.target_language}
                      </TableCell>
                      <TableCell>
                        {errors.length === 0 ? (
                          <Badge variant="success">{t.createBatch.rowOk}</Badge>
                        ) : (
                          <ul className="text-destructive text-xs whitespace-normal">
                            {errors.map((e) => (
                              <li key={e}>{e}</li>
                            ))}
                          </ul>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <div className="flex items-center gap-2">
              <Checkbox
                id="import-replace"
                checked={replace}
                onCheckedChange={(v) => setReplace(v === true)}
              />
              <Label htmlFor="import-replace" className="font-normal">
                {t.createBatch.replaceRows}
              </Label>
            </div>
          </div>
        ) : null}
        <DialogFooter>
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            {t.common.cancel}
          </Button>
          <Button
            type="button"
            disabled={valid.length === 0}
            onClick={() => {
              onImport(valid, replace);
              reset();
              onOpenChange(false);
            }}
          >
            {t.createBatch.importValid(valid.length)}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
