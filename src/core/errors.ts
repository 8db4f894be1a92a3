/**
 * A refusal meant for the person who ran the command; nothing was written. `code` is a catalog key
 * ("challenges:notFound"), `params` its placeholders, `field` the option it is about (adapters show the
 * message under that form field).
 */
export class UserError extends Error {
  constructor(readonly code: string, readonly params: Record<string, unknown> = {}, readonly field?: string) {
    super(code);
    this.name = 'UserError';
  }
}

export const fail = (code: string, params?: Record<string, unknown>, field?: string): never => {
  throw new UserError(code, params, field);
};
