import type { Form } from '../../src/core/types.js';

/**
 * Telegram has no modals: a form is asked field by field with a force_reply prompt, and the answer is the
 * user's reply to that prompt. Pending forms are kept by the engine (keyed by chat + user + prompt message
 * id), so a restart or another instance receiving the reply carries on; they expire, and a reply to an
 * expired or unknown prompt is an ordinary message and is ignored.
 */
export interface PendingForm {
  form: Form;
  /** Index of the field the prompt asks for. */
  field: number;
  /** Answers collected so far. */
  values: Record<string, string>;
  /** The group whose community the form's command runs in. */
  community: { key: string; name?: string };
}

/** Where pending forms live: the engine's, shared by every instance. */
export interface FormStore {
  put(key: string, state: unknown, ttlMs: number): Promise<void>;
  peek(key: string): Promise<unknown | undefined>;
  drop(key: string): Promise<boolean>;
}

export class PendingForms {
  constructor(private readonly store: FormStore, private readonly ttlMs = 15 * 60_000) {}

  static key(chatId: number, userId: number, promptMessageId: number): string {
    return `telegram:${chatId}:${userId}:${promptMessageId}`;
  }

  add(key: string, p: PendingForm): Promise<void> {
    return this.store.put(key, p, this.ttlMs);
  }

  /** The pending form, if it is still valid. It stays until delete(), so a failed attempt can be redelivered. */
  async peek(key: string): Promise<PendingForm | undefined> {
    return (await this.store.peek(key)) as PendingForm | undefined;
  }

  async delete(key: string): Promise<void> {
    await this.store.drop(key);
  }
}
