import {
  CreateSubscriptionInput,
  DeletedSubscriptionJson,
  DeliveryJson,
  DeliveryListJson,
  ListDeliveriesInput,
  ListSubscriptionsInput,
  SubscriptionIdInput,
  SubscriptionJson,
  SubscriptionListJson,
  SubscriptionWithSecretJson,
  UpdateSubscriptionInput,
} from '../notify.schema';
import { operation } from './operation';

const EVENTS_HELP = 'comma-separated: batch.finished, batch.failure_rate, batch.deadline_risk, job.failed, workers.missing';

/**
 * Notification subscriptions (issue 20 item 6). Each is its owner's: nobody else sees or changes
 * it (admins may, to remove a departed user's webhook). Managing them needs the write scope
 * (viewers change nothing, and a read token opens no outgoing channel).
 */
export const NOTIFY_OPERATIONS = {
  list: operation({
    area: 'notify',
    scope: 'read',
    access: 'own',
    kind: 'query',
    input: ListSubscriptionsInput,
    inputOptional: true,
    output: SubscriptionListJson,
    rest: [
      {
        method: 'GET',
        path: 'notifications',
        operationId: 'listSubscriptions',
        summary: "The caller's notification subscriptions (with batch_id: that batch's)",
        tag: 'Notifications',
        from: 'query',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'list',
      description: 'Your notification subscriptions',
      args: [],
      options: { batch_id: "only this batch's subscriptions" },
      done: '{subscriptions.length} subscription(s).',
    },
  }),
  create: operation({
    area: 'notify',
    scope: 'write',
    access: 'create',
    kind: 'mutation',
    input: CreateSubscriptionInput,
    output: SubscriptionWithSecretJson,
    rest: [
      {
        method: 'POST',
        path: 'notifications',
        operationId: 'createSubscription',
        summary: 'Subscribe a webhook (or your e-mail) to events of your batches or of one batch',
        description:
          'The answer carries the webhook secret (whsec_...) once; it is never shown again. Payloads are signed as Standard Webhooks do: the headers webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">).',
        tag: 'Notifications',
        from: 'body',
        successStatus: 201,
        message: 'Subscription created',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'create',
      description: 'Subscribe a webhook to events; prints the secret once',
      // The address is an argument: --url is the program's own option (the server).
      args: ['name', 'url'],
      options: {
        events: EVENTS_HELP,
        batch_id: "only this batch's events",
        failure_rate_percent: 'batch.failure_rate fires at this percent of failed jobs (default 20)',
        worker_silence_minutes: 'workers.missing fires after this many minutes without a worker (default 10)',
      },
      done: 'Created {subscription.subscription_id}. Secret (shown once): {secret}',
    },
  }),
  update: operation({
    area: 'notify',
    scope: 'write',
    access: 'own',
    kind: 'mutation',
    input: UpdateSubscriptionInput,
    output: SubscriptionJson,
    rest: [
      {
        method: 'POST',
        path: 'notifications/{subscriptionId}/update',
        operationId: 'updateSubscription',
        summary: 'Change a subscription: name, url, events, thresholds, on or off',
        tag: 'Notifications',
        from: 'body',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'update',
      description: 'Change a subscription',
      args: ['subscription_id'],
      options: {
        name: 'new name',
        events: EVENTS_HELP,
        enabled: 'true or false',
        failure_rate_percent: 'percent of failed jobs for batch.failure_rate',
        worker_silence_minutes: 'minutes without a worker for workers.missing',
      },
      done: 'Updated {subscription_id}.',
    },
  }),
  delete: operation({
    area: 'notify',
    scope: 'write',
    access: 'own',
    kind: 'mutation',
    input: SubscriptionIdInput,
    output: DeletedSubscriptionJson,
    rest: [
      {
        method: 'DELETE',
        path: 'notifications/{subscriptionId}',
        operationId: 'deleteSubscription',
        summary: 'Delete a subscription and its delivery log',
        tag: 'Notifications',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'delete',
      description: 'Delete a subscription',
      args: ['subscription_id'],
      confirm: { action: 'delete this subscription and its delivery log' },
      done: 'Deleted {subscription_id}.',
    },
  }),
  rotateSecret: operation({
    area: 'notify',
    scope: 'write',
    access: 'own',
    kind: 'mutation',
    input: SubscriptionIdInput,
    output: SubscriptionWithSecretJson,
    rest: [
      {
        method: 'POST',
        path: 'notifications/{subscriptionId}/rotate-secret',
        operationId: 'rotateSubscriptionSecret',
        summary: "A new signing secret for a webhook (shown once); the old one stops signing at once",
        tag: 'Notifications',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'rotate-secret',
      description: "Give a webhook a new signing secret (printed once)",
      args: ['subscription_id'],
      confirm: { action: 'replace the signing secret (receivers must switch to the new one)' },
      done: 'New secret of {subscription.subscription_id} (shown once): {secret}',
    },
  }),
  test: operation({
    area: 'notify',
    scope: 'write',
    access: 'own',
    kind: 'mutation',
    input: SubscriptionIdInput,
    output: DeliveryJson,
    rest: [
      {
        method: 'POST',
        path: 'notifications/{subscriptionId}/test',
        operationId: 'testSubscription',
        summary: 'Send a test event now and answer with the try (status code or error); it is in the delivery log',
        tag: 'Notifications',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'test',
      description: 'Send a test event now',
      args: ['subscription_id'],
      done: 'Test delivery {delivery_id}: {state}.',
    },
  }),
  deliveries: operation({
    area: 'notify',
    scope: 'read',
    access: 'own',
    kind: 'query',
    input: ListDeliveriesInput,
    output: DeliveryListJson,
    rest: [
      {
        method: 'GET',
        path: 'notifications/{subscriptionId}/deliveries',
        operationId: 'listDeliveries',
        summary: "A subscription's delivery log, newest first: each try's status code or error",
        tag: 'Notifications',
        from: 'query',
      },
    ],
    cli: {
      group: 'notifications',
      command: 'deliveries',
      description: "A subscription's delivery log",
      args: ['subscription_id'],
      options: { limit: 'how many (default 20)' },
      done: '{deliveries.length} delivery(ies).',
    },
  }),
};
