/**
 * Refusals of reaction votes (engine.reaction answered with an error: the poll is closed, that emoji is not
 * one of its answers) are told to the member privately, but only the first time per member and message:
 * someone reacting with several emoji under a card must not get a message for each. Bounded memory, per process.
 */
export class RefusalNotes {
  private readonly told = new Set<string>();

  constructor(private readonly max = 5000) {}

  /** True the first time for this member and message (then remembered), false after. */
  first(userId: string, messageId: string): boolean {
    const key = `${userId}:${messageId}`;
    if (this.told.has(key)) return false;
    this.told.add(key);
    if (this.told.size > this.max) this.told.delete(this.told.values().next().value!);
    return true;
  }
}
