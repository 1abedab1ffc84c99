import { expect, type Browser, type Page, type Locator } from '@playwright/test';
import { DEMO_PASSWORD } from '@cr/shared';

/** The control-room console as a user drives it, in one browser context. */
export class ConsolePage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Opens a fresh browser context (its own storage, like a separate workstation) and signs in. */
  static async signIn(browser: Browser, baseUrl: string, email: string): Promise<ConsolePage> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const console = new ConsolePage(page, baseUrl);
    await console.login(email);
    return console;
  }

  async login(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.getByTestId('login-email').fill(email);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
    // Generous: on a loaded two-core machine the first WebGL draw of the map can hold the page for seconds.
    await expect(this.page.getByTestId('current-user')).toBeVisible({ timeout: 30_000 });
  }

  go(hash: string): Promise<unknown> {
    return this.page.evaluate((h) => (window.location.hash = h), hash);
  }

  siteItem(siteId: string): Locator {
    return this.page.getByTestId(`site-list-item-${siteId}`);
  }

  async openOverview(): Promise<void> {
    await this.page.getByTestId('nav-overview').click();
    await expect(this.page.getByTestId('site-list')).toBeVisible();
  }

  async openAlerts(): Promise<void> {
    await this.page.getByTestId('nav-alerts').click();
    await expect(this.page.getByTestId('alert-console')).toBeVisible();
  }

  async openSite(siteId: string): Promise<void> {
    await this.openOverview();
    await this.siteItem(siteId).click();
    await expect(this.page.getByTestId('door-list')).toBeVisible();
  }

  /** Alert rows of a type (and optionally a site) in the alert console. */
  alertRows(type: string, siteId?: string): Locator {
    const site = siteId ? `[data-site-id="${siteId}"]` : '';
    return this.page.locator(`[data-alert-type="${type}"]${site}`);
  }

  /** Settings: the address of a site's edge on the LAN (then documents also sync through it). */
  async configureEdge(siteId: string, edgeUrl: string): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await this.page.getByTestId(`settings-edge-url-${siteId}`).fill(edgeUrl);
    await this.page.getByTestId('settings-save').click();
    await expect(this.page.getByTestId(`settings-edge-state-${siteId}`)).not.toBeEmpty();
  }

  async openAlert(alertId: string): Promise<void> {
    await this.go(`#/alerts/${alertId}`);
    await expect(this.page.getByTestId('alert-detail')).toHaveAttribute('data-alert-id', alertId);
  }

  async addNote(text: string): Promise<void> {
    await this.page.getByTestId('alert-note-input').fill(text);
    await this.page.getByTestId('alert-note-add').click();
    await expect(this.page.getByTestId('alert-note-entry').filter({ hasText: text })).toBeVisible();
  }

  async assign(to: string): Promise<void> {
    // The detail re-renders as the alert's own acknowledgement lands; an assignment typed into the
    // form just before is entered again, as an operator would, until the alert shows it.
    await expect(async () => {
      const input = this.page.getByTestId('alert-assign-input');
      await input.fill(to);
      await expect(input).toHaveValue(to);
      await this.page.getByTestId('alert-assign-submit').click();
      await expect(this.page.getByTestId('alert-assignee')).toHaveText(to, { timeout: 3_000 });
    }).toPass({ timeout: 20_000 });
  }

  /** The online flag in the open site's header. */
  siteItemOnSitePage(): Locator {
    return this.page.getByTestId('site-online');
  }

  banner(): Locator {
    return this.page.getByTestId('connection-banner');
  }

  /** Opens the door-control dialog, issues `action` with a reason, and returns the status element. */
  async commandDoor(doorId: string, action: 'unlock' | 'lock' | 'pulse-unlock', reason: string): Promise<Locator> {
    await this.page.getByTestId(`door-control-${doorId}`).click();
    const dialog = this.page.getByTestId('command-dialog');
    await expect(dialog).toBeVisible();
    await dialog.locator(`[data-testid="command-action-${action}"]`).click();
    await this.page.getByTestId('command-reason').fill(reason);
    await this.page.getByTestId('command-confirm').click();
    return this.page.getByTestId('command-status');
  }
}
