// Who acts: a leaf module (imports nothing of ours), so models and services can name the actor
// without importing the service context (which imports the models).

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user a service call acts for (workers are service accounts and have none). */
export interface Actor {
  userId: string;
  role: Role;
  /** The door the user came in through; recorded in the audit trail. */
  via?: 'session' | 'token' | 'proxy';
}
