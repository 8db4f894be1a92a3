import { webApi, type HTTPReceiverOptions, type InstallationQuery, type InstallationStore, type Logger } from '@slack/bolt';
import { BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH } from './manifest.js';

/**
 * Distribution mode: one app installed in many workspaces through OAuth (@slack/oauth's InstallProvider inside
 * Bolt's HTTP receiver). GET /slack/install shows the "Add to Slack" page (or redirects, with directInstall) and
 * sets the state cookie; Slack sends the installer back to GET /slack/oauth_redirect?code&state, where the code is
 * exchanged (oauth.v2.access) and the installation stored in the database. Each request is then authorized with
 * its workspace's bot token; tokens with an expiry (token rotation) are refreshed by InstallProvider.authorize
 * when they expire within two hours, and the rotated tokens stored back.
 */

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth state parameter (SLACK_STATE_SECRET). */
  stateSecret: string;
  /** The full redirect URL (…/slack/oauth_redirect); unset: the one configured for the app on api.slack.com. */
  redirectUri?: string;
  /** Skip the "Add to Slack" page: /slack/install redirects to Slack at once (SLACK_DIRECT_INSTALL). */
  directInstall?: boolean;
  /** Slack's authorize page (tests point it elsewhere; it is never fetched by the bot). */
  authorizationUrl?: string;
}

/** The HTTPReceiver options that turn on the OAuth flow with the installation store (./install-store.ts). */
export function oauthReceiverOptions(s: OAuthSettings, installationStore: InstallationStore, clientOptions: webApi.WebClientOptions): Partial<HTTPReceiverOptions> {
  // InstallProvider's own client (oauth.v2.access, auth.test) takes the same API URL and retries, not the logger.
  const { logger: _l, logLevel: _ll, ...installerClient } = clientOptions;
  return {
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    stateSecret: s.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore,
    ...(s.redirectUri ? { redirectUri: s.redirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      directInstall: Boolean(s.directInstall),
      stateVerification: true,
      clientOptions: installerClient,
      ...(s.authorizationUrl ? { authorizationUrl: s.authorizationUrl } : {}),
    },
  };
}

/** What InstallProvider.authorize answers (the parts used here). */
interface Authorized { botToken?: string; botTokenExpiresAt?: number; enterpriseId?: string }
type Authorize = (source: InstallationQuery<boolean>) => Promise<Authorized>;

/** How long a workspace's token is reused before asking the installation store again. */
const TOKEN_CACHE_MS = 60_000;

/**
 * Web API clients for the bot's own sends (the outbox, access changes), one per workspace, each with the token of
 * that workspace's installation. Tokens are cached briefly (never past their expiry); a workspace without an
 * installation throws NotInstalledError, so the outbox retries and in the end tells the moderators.
 */
export class WorkspaceClients {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly clients = new Map<string, webApi.WebClient>();
  /** Workspaces of an org-wide install, learned from their requests (events carry the enterprise id). */
  private readonly orgs = new Map<string, string>();

  constructor(private readonly authorize: Authorize, private readonly clientOptions: webApi.WebClientOptions, private readonly log?: Logger) {}

  /**
   * Remembers that a workspace belongs to an org (so its org-wide install is found for sends). Returns true when this
   * process learns it now (the adapter then keeps it in the database too, for restarts and other instances).
   */
  noteOrg(teamId: string | undefined, enterpriseId: string | undefined): boolean {
    if (!teamId || !enterpriseId || this.orgs.get(teamId) === enterpriseId) return false;
    this.orgs.set(teamId, enterpriseId);
    if (this.orgs.size > 10_000) this.orgs.delete(this.orgs.keys().next().value!);
    return true;
  }

  async client(teamId: string): Promise<webApi.WebClient> {
    const now = Date.now();
    const hit = this.tokens.get(teamId);
    let token = hit && hit.until > now ? hit.token : undefined;
    if (!token) {
      const enterpriseId = this.orgs.get(teamId);
      const query: InstallationQuery<false> = { teamId, enterpriseId, isEnterpriseInstall: false };
      const auth = await this.authorize(query);
      if (!auth.botToken) throw new Error(`Slack: the installation in ${teamId} has no bot token`);
      // Found through the org (a stored alias, after a restart): an org uninstall then forgets this token too.
      if (!enterpriseId && auth.enterpriseId) this.orgs.set(teamId, auth.enterpriseId);
      token = auth.botToken;
      const expires = auth.botTokenExpiresAt ? auth.botTokenExpiresAt * 1000 - 60_000 : Infinity;
      this.tokens.set(teamId, { token, until: Math.min(now + TOKEN_CACHE_MS, expires) });
    }
    let client = this.clients.get(token);
    if (!client) {
      // One client per token: a rotated token gets a new client, the old one is dropped.
      for (const [t] of this.clients) if (!this.isCurrent(t)) this.clients.delete(t);
      client = new webApi.WebClient(token, this.clientOptions);
      this.clients.set(token, client);
    }
    return client;
  }

  /** Forgets a workspace's (or an org's) cached token: after an uninstall, or rotated tokens stored. */
  forget(teamId?: string, enterpriseId?: string): void {
    if (teamId) this.tokens.delete(teamId);
    if (enterpriseId) for (const [team, org] of this.orgs) if (org === enterpriseId) this.tokens.delete(team);
    this.log?.debug(`slack: forgot the cached token of ${teamId ?? enterpriseId}`);
  }

  private isCurrent(token: string): boolean {
    for (const t of this.tokens.values()) if (t.token === token) return true;
    return false;
  }
}
