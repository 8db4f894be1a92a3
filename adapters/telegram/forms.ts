import type { Form } from '../../src/core/types.js';

/**
 * Telegram has no modals: a form is asked field by field with a force_reply prompt, and the answer is the
 * user's reply to that prompt. Pending forms live in memory (keyed by chat + user + prompt message id) and
 * expire; a reply to an expired or unknown prompt is an ordinary message and is ignored.
 */
export interface PendingForm {
  form: Form;
  /** Index of the field the prompt asks for. */
  field: number;
  /** Answers collected so far. */
  values: Record<string, string>;
  /** The group whose community the form's command runs in. */
  community: { key: string; name?: string };
  expiresAt: number;
}

export class PendingForms {
  private readonly items = new Map<string, PendingForm>();

  constructor(private readonly ttlMs = 15 * 60_000, private readonly max = 10_000, private readonly now: () => number = Date.now) {}

  static key(chatId: number, userId: number, promptMessageId: number): string {
    return `${chatId}:${userId}:${promptMessageId}`;
  }

  add(key: string, p: Omit<PendingForm, 'expiresAt'>): void {
    this.sweep();
    this.items.set(key, { ...p, expiresAt: this.now() + this.ttlMs });
    while (this.items.size > this.max) this.items.delete(this.items.keys().next().value!);
  }

  /** The pending form, if it is still valid. It stays until delete(), so a failed attempt can be redelivered. */
  peek(key: string): PendingForm | undefined {
    const p = this.items.get(key);
    if (p && p.expiresAt <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return p;
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  get size(): number {
    this.sweep();
    return this.items.size;
  }

  private sweep() {
    const now = this.now();
    for (const [k, v] of this.items) if (v.expiresAt <= now) this.items.delete(k);
  }
}
