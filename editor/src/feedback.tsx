import { Alert } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import i18next from 'i18next';
import type { ReactNode } from 'react';

/** A refusal or failure, as the server or the browser said it; read out by screen readers. */
export function ErrorAlert({ message }: { message: string }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" className="error" role="alert" my="xs">
      {message}
    </Alert>
  );
}

/**
 * Something that stays on the page until the person is done with it (a password or token shown
 * once, a link to copy); announced politely.
 */
export function StatusPanel({ children }: { children: ReactNode }) {
  return (
    <Alert color="blue" variant="light" className="status" role="status" my="xs">
      {children}
    </Alert>
  );
}

/** A short confirmation that an action was done, in the corner for a few seconds; read out politely. */
export function notifyDone(message: ReactNode): void {
  notifications.show({
    message,
    color: 'teal',
    role: 'status',
    autoClose: 6000,
    closeButtonProps: { 'aria-label': i18next.t('close') },
  });
}

/**
 * Asks before an action that cannot be taken back, in a dialog; resolves true when confirmed, false
 * when cancelled or closed. The caller names the buttons (`confirmLabel`, `cancelLabel`).
 */
export function confirmAction(options: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    modals.openConfirmModal({
      title: options.title,
      children: options.message,
      labels: { confirm: options.confirmLabel, cancel: options.cancelLabel },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': i18next.t('close') },
      onConfirm: () => resolve(true),
      onCancel: () => resolve(false),
      onClose: () => resolve(false),
    });
  });
}
