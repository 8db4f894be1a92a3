import type { CommandDef } from '../src/core/command.js';

/** TODO(issue 9). */
export const inviteCommands: CommandDef[] = [];
