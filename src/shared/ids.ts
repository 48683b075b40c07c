import { randomBytes, randomUUID } from 'node:crypto';

/** Source of new ids, injectable so tests can make them predictable. */
export interface IdSource {
  uuid(): string;
  token(bytes?: number): string;
}

export const randomIds: IdSource = {
  uuid: () => randomUUID(),
  token: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};
