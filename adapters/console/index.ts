import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../../src/engine.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { Address, Button, Locale, Reply, Role } from '../../src/core/types.js';
import { LOCALES } from '../../src/core/types.js';
import { parseDuration } from '../../src/core/time.js';
import { lang, type Lang } from '../../src/i18n/index.js';
import { buildInbound } from '../shared/inbound.js';
import { withSelectFallback } from '../shared/text.js';

export interface ConsoleOptions {
  input?: Readable;
  output?: Writable;
  community?: string;
  channel?: string;
  /** Called when the input ends or :quit is typed. */
  onExit?: () => void;
  /** Runs due jobs now (the :tick command). */
  tick?: () => Promise<number>;
  /** Moves the engine clock forward (`:tick 3d`), so scheduled draws and poll closings can be shown. */
  advance?: (ms: number) => void;
}

/**
 * Renders a reply as plain terminal text; buttons are numbered for :press. A select menu shows as its
 * fallback buttons; reactions the bot would add are a line saying how to react (:react).
 */
export function renderText(reply: Reply, buttons: Button[] = [], L: Lang = lang('en')): string {
  const lines = [(reply.error ? '⚠ ' : '') + reply.text.replace(/\*\*(.+?)\*\*/g, '$1')];
  if (reply.reactions?.length) lines.push(L.t('console:reactWith', { emoji: reply.reactions.join(' ') }));
  for (const row of withSelectFallback(reply)) {
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
 * command from the current user in community "demo", channel "general". `:lang ko` switches the language
 * the console reports for you (as Discord or Telegram would), `:tz Asia/Tokyo` sets the community's zone.
 */
export class ConsoleAdapter implements PlatformAdapter {
  readonly platform = 'console' as const;
  private rl?: Interface;
  private user = 'you';
  /** Roles the console grants by name (you = the operator = admin); :as name role changes them. */
  private readonly roles = new Map<string, Role>([['you', 'admin']]);
  private locale: Locale = 'en';
  private get role(): Role | undefined {
    return this.roles.get(this.user);
  }
  private lastButtons: Button[] = [];
  /** Messages printed by send, numbered (their ids, so cards can be edited and reacted to). */
  private posted = 0;
  /** The last posted message that takes reactions (:react). */
  private reactable?: { channelId: string; messageId: string };
  private readonly out: Writable;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly engine: Engine, private readonly opts: ConsoleOptions = {}) {
    this.out = opts.output ?? process.stdout;
  }

  private get L(): Lang {
    return lang(this.locale);
  }

  private print(s: string) {
    this.out.write(s + '\n');
  }

  private prompt() {
    this.out.write(`${this.user}> `);
  }

  async start(): Promise<void> {
    this.print(this.L.t('console:welcome', { user: this.user, community: this.opts.community ?? 'demo' }) + '\n' + this.L.t('console:help'));
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

  /** Prints an announcement and returns its number (the message id cards are remembered by). */
  async send(to: Address, reply: Reply): Promise<string> {
    const id = String(++this.posted);
    this.lastButtons = [];
    this.print(`\n[${this.where(to)}] ${renderText(reply, this.lastButtons, this.L)}`);
    if (reply.reactions?.length && to.kind === 'channel') this.reactable = { channelId: to.channelId, messageId: id };
    return id;
  }

  /** Prints a card's new version (a terminal cannot change what it printed). */
  async edit(to: Address, messageId: string, reply: Reply): Promise<void> {
    this.lastButtons = [];
    this.print(`\n[${this.where(to)}, ${this.L.t('console:edited', { id: messageId })}] ${renderText(reply, this.lastButtons, this.L)}`);
  }

  private where(to: Address): string {
    return to.kind === 'dm' ? this.L.t('console:dmTo', { user: to.userId }) : `#${to.channelId}`;
  }

  private actor() {
    return { platform: 'console' as const, userId: this.user, displayName: this.user, username: this.user, platformRole: this.role, locale: this.locale };
  }

  /** :react / :unreact: a reaction to the last card that takes them, as a platform would report it. */
  private async react(kind: 'add' | 'remove', emoji: string | undefined) {
    if (!emoji) return this.print(this.L.t('console:reactUsage'));
    const card = this.reactable;
    const reply = card && await this.engine.reaction({
      platform: 'console', communityKey: this.opts.community ?? 'demo', communityName: this.opts.community ?? 'Demo community',
      channelId: card.channelId, messageId: card.messageId, emoji, actor: this.actor(), kind,
    });
    if (!reply) return this.print(this.L.t('console:notACard'));
    this.lastButtons = [];
    this.print(renderText(reply, this.lastButtons, this.L));
    await this.opts.tick?.();
  }

  /** Handles one typed line. */
  async line(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith(':')) return this.meta(line);
    const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
    await this.run(m[1], m[2]);
  }

  private async run(command: string, args: Record<string, unknown> | string) {
    const reply = await this.engine.handle(buildInbound({
      platform: 'console',
      space: { key: this.opts.community ?? 'demo', name: this.opts.community ?? 'Demo community' },
      address: { kind: 'channel', channelId: this.opts.channel ?? 'general' },
      actor: this.actor(),
      command,
      args,
    }));
    this.lastButtons = [];
    this.print(renderText(reply, this.lastButtons, this.L));
    await this.opts.tick?.();
  }

  private async meta(line: string) {
    const [cmd, ...rest] = line.slice(1).split(/\s+/);
    const L = this.L;
    switch (cmd) {
      case 'as': {
        const [name, role] = rest;
        if (!name || !/^[A-Za-z0-9_.-]{1,32}$/.test(name)) return this.print(L.t('console:asUsage'));
        if (role && !['member', 'moderator', 'admin'].includes(role)) return this.print(L.t('console:badRole'));
        this.user = name;
        if (role) this.roles.set(name, role as Role);
        return this.print(this.role ? L.t('console:nowWithRole', { user: name, role: L.t(`common:roles.${this.role}`) }) : L.t('console:now', { user: name }));
      }
      case 'press': {
        const n = Number(rest[0]);
        const b = this.lastButtons[n - 1];
        if (!b) return this.print(L.t('console:noButton', { n: rest[0] ?? '' }));
        if (b.form) {
          const text = rest.slice(1).join(' ');
          const field = b.form.fields[0];
          if (!text) return this.print(L.t('console:formUsage', { title: b.form.title, n, label: field.label }));
          return this.run(b.form.command, { ...b.form.args, [field.name]: text });
        }
        return this.run(b.command, b.args);
      }
      case 'react':
      case 'unreact':
        return this.react(cmd === 'react' ? 'add' : 'remove', rest[0]);
      case 'tick': {
        if (rest[0]) {
          const ms = parseDuration(rest[0]);
          if (ms === null || !Number.isFinite(ms) || !this.opts.advance) return this.print(L.t('console:tickUsage'));
          this.opts.advance(ms);
          this.print(L.t('console:advanced', { by: L.duration(ms), now: this.engine.now() }));
        }
        const ran = (await this.opts.tick?.()) ?? 0;
        return this.print(L.t('console:ran', { count: ran }));
      }
      case 'lang': {
        const l = rest[0] as Locale;
        if (!(LOCALES as readonly string[]).includes(l)) return this.print(L.t('console:langUsage'));
        this.locale = l;
        return this.print(this.L.t('console:langSet'));
      }
      case 'tz':
        if (!rest[0]) return this.print(L.t('console:tzUsage'));
        // The zone is a community setting: change it the way an admin would.
        return this.run('settings', { timezone: rest[0] });
      case 'quit':
      case 'exit':
        this.rl?.close();
        return;
      default:
        return this.print(L.t('console:help'));
    }
  }
}
