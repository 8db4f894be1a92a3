/** An error whose message is meant for the person who ran the command. Nothing was written. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export const fail = (message: string): never => {
  throw new UserError(message);
};
