// Its own module so that a dynamic import of it loads ConfirmDialog alone, not the whole UI library.
export { ConfirmDialog } from '@event-monitor/ui';
