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

/** Where pending forms live: the engine's (shared by every instance), or memory for a lone adapter. */
export interface FormStore {
  put(key: string, state: unknown, ttlMs: number): Promise<void>;
  peek(key: string): Promise<unknown | undefined>;
  drop(key: string): Promise<boolean>;
}

/** A store in this process's memory (expiring, bounded). */
export function memoryFormStore(max = 10_000, now: () => number = Date.now): FormStore {
  const items = new Map<string, { state: unknown; expiresAt: number }>();
  return {
    async put(key, state, ttlMs) {
      items.delete(key);
      items.set(key, { state, expiresAt: now() + ttlMs });
      while (items.size > max) items.delete(items.keys().next().value!);
    },
    async peek(key) {
      const p = items.get(key);
      if (p && p.expiresAt <= now()) items.delete(key);
      return p && p.expiresAt > now() ? p.state : undefined;
    },
    async drop(key) {
      return items.delete(key);
    },
  };
}

export class PendingForms {
  constructor(private readonly store: FormStore = memoryFormStore(), private readonly ttlMs = 15 * 60_000) {}

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
