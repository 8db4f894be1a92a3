import type { Actor, Address, Inbound, Platform } from '../../src/core/types.js';

/** The platform space (Discord guild, Slack team, Telegram group, console community) a command acts in. */
export interface Space {
  key: string;
  name?: string;
}

/** The one way adapters build what they hand to engine.handle(). */
export function buildInbound(p: {
  platform: Platform;
  space: Space;
  address?: Address;
  actor: Actor;
  command: string;
  args: Inbound['args'];
  eventKey?: string;
}): Inbound {
  return {
    platform: p.platform,
    communityKey: p.space.key,
    ...(p.space.name ? { communityName: p.space.name } : {}),
    ...(p.address ? { address: p.address } : {}),
    actor: p.actor,
    command: p.command,
    args: p.args,
    ...(p.eventKey ? { eventKey: p.eventKey } : {}),
  };
}
