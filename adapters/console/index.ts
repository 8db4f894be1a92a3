import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../../src/engine.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { Button, Reply, Role } from '../../src/core/types.js';

export interface ConsoleOptions {
  input?: Readable;
  output?: Writable;
  community?: string;
  channel?: string;
  /** Called when the input ends or :quit is typed. */
  onExit?: () => void;
  /** Runs due jobs now (the :tick command). */
  tick?: () => Promise<number>;
}

const HELP = `Console commands: /help for the bot; :as <name> [member|moderator|admin] to act as someone else;
:press <n> [text] to press button n of the last reply; :tick to run due scheduled jobs; :quit.`;

/** Renders a reply as plain terminal text; buttons are numbered for :press. */
export function renderText(reply: Reply, buttons: Button[] = []): string {
  const lines = [(reply.error ? '⚠ ' : '') + reply.text.replace(/\*\*(.+?)\*\*/g, '$1')];
  for (const row of reply.buttons ?? []) {
    const cells = row.map((b) => {
      buttons.push(b);
      return `[${buttons.length}] ${b.label}`;
    });
    lines.push('  ' + cells.join('  '));
  }
  return lines.join('\n');
}

/**
 * A terminal adapter for local demos and trying commands without any platform token: each line is a
 * command from the current user in community "demo", channel "general".
 */
export class ConsoleAdapter implements PlatformAdapter {
  readonly platform = 'console' as const;
  private rl?: Interface;
  private user = 'you';
  /** Roles the console grants by name (you = the operator = admin); :as name role changes them. */
  private readonly roles = new Map<string, Role>([['you', 'admin']]);
  private get role(): Role | undefined {
    return this.roles.get(this.user);
  }
  private lastButtons: Button[] = [];
  private readonly out: Writable;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly engine: Engine, private readonly opts: ConsoleOptions = {}) {
    this.out = opts.output ?? process.stdout;
  }

  private print(s: string) {
    this.out.write(s + '\n');
  }

  private prompt() {
    this.out.write(`${this.user}> `);
  }

  async start(): Promise<void> {
    this.print(`Engage bot console. You are "${this.user}" (admin) in community "${this.opts.community ?? 'demo'}".\n${HELP}`);
    this.rl = createInterface({ input: this.opts.input ?? process.stdin, terminal: false });
    this.rl.on('line', (line) => {
      // Lines are handled one after another, in order.
      this.queue = this.queue.then(() => this.line(line)).then(() => {
        if (!this.closed) this.prompt();
      });
    });
    this.rl.on('close', () => {
      this.closed = true;
      void this.queue.then(() => this.opts.onExit?.());
    });
    this.prompt();
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  async send(channelId: string, reply: Reply): Promise<void> {
    const where = channelId.startsWith('user:') ? `DM to ${channelId.slice(5)}` : `#${channelId}`;
    this.lastButtons = [];
    this.print(`\n[${where}] ${renderText(reply, this.lastButtons)}`);
  }

  /** Handles one typed line; returns what was printed in reply (for tests). */
  async line(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith(':')) return this.meta(line);
    const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
    await this.run(m[1], m[2]);
  }

  private async run(command: string, args: Record<string, unknown> | string) {
    const reply = await this.engine.handle({
      platform: 'console',
      communityKey: this.opts.community ?? 'demo',
      communityName: this.opts.community ?? 'Demo community',
      channelId: this.opts.channel ?? 'general',
      actor: { platform: 'console', userId: this.user, displayName: this.user, username: this.user, platformRole: this.role },
      command,
      args,
    });
    this.lastButtons = [];
    this.print(renderText(reply, this.lastButtons));
    await this.opts.tick?.();
  }

  private async meta(line: string) {
    const [cmd, ...rest] = line.slice(1).split(/\s+/);
    switch (cmd) {
      case 'as': {
        const [name, role] = rest;
        if (!name || !/^[A-Za-z0-9_.-]{1,32}$/.test(name)) return this.print('Usage: :as <name> [member|moderator|admin]');
        if (role && !['member', 'moderator', 'admin'].includes(role)) return this.print('Role must be member, moderator or admin.');
        this.user = name;
        if (role) this.roles.set(name, role as Role);
        return this.print(`You are now "${name}"${this.role ? ` (${this.role})` : ''}.`);
      }
      case 'press': {
        const n = Number(rest[0]);
        const b = this.lastButtons[n - 1];
        if (!b) return this.print(`No button ${rest[0] ?? ''}. Buttons of the last message are numbered [1], [2], ...`);
        if (b.form) {
          const text = rest.slice(1).join(' ');
          const field = b.form.fields[0];
          if (!text) return this.print(`${b.form.title}: type :press ${n} <${field.label}>`);
          return this.run(b.form.command, { ...b.form.args, [field.name]: text });
        }
        return this.run(b.command, b.args);
      }
      case 'tick': {
        const ran = (await this.opts.tick?.()) ?? 0;
        return this.print(`Ran ${ran} due job(s).`);
      }
      case 'quit':
      case 'exit':
        this.rl?.close();
        return;
      default:
        return this.print(HELP);
    }
  }
}
