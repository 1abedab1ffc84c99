import { expect, type Page } from '@playwright/test';

/** The console's new-site wizard (`#/onboarding`), driven as a tenant admin would: fields, Enter, buttons. */
export class OnboardingWizard {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-onboarding').click();
    await expect(this.page.getByTestId('onboarding-page')).toHaveAttribute('data-step', 'site');
    // The first field has the focus: the admin can type at once.
    await expect(this.page.getByTestId('onboarding-site-id')).toBeFocused();
  }

  /** Fills the site step; the point is set by clicking the map, then corrected to the exact coordinates by typing. */
  async fillSite(site: { id: string; name: string; address: string; lat: number; lng: number; timezone: string }): Promise<void> {
    const p = this.page;
    await p.keyboard.type(site.id);
    await p.keyboard.press('Tab');
    await p.keyboard.type(site.name);
    await p.getByTestId('onboarding-site-address').fill(site.address);
    await p.getByTestId('onboarding-map-canvas').click({ position: { x: 300, y: 160 } });
    await expect(p.getByTestId('onboarding-site-lat')).not.toHaveValue('37.5665');
    await p.getByTestId('onboarding-site-lat').fill(String(site.lat));
    await p.getByTestId('onboarding-site-lng').fill(String(site.lng));
    await p.getByTestId('onboarding-site-timezone').fill(site.timezone);
    await expect(p.getByTestId('onboarding-map-point')).toBeVisible();
  }

  /** Submits the site step with Enter; resolves when the wizard moved on to the policy step. */
  async createSite(): Promise<void> {
    await this.page.getByTestId('onboarding-site-timezone').press('Enter');
    await expect(this.page.getByTestId('onboarding-page')).toHaveAttribute('data-step', 'policy');
  }

  async next(step: string): Promise<void> {
    await this.page.getByTestId(`onboarding-${step}-next`).click();
  }

  async saveZone(id: string, name: string): Promise<void> {
    const p = this.page;
    await p.getByTestId('admin-zone-id').fill(id);
    await p.getByTestId('admin-zone-name').fill(name);
    await p.getByTestId('admin-zone-name').press('Enter');
    await expect(p.getByTestId(`admin-zone-${id}`)).toContainText(name);
  }

  /** Issues the gateway token and returns the command the wizard shows for the gateway. */
  async gatewayCommand(): Promise<string> {
    await this.page.getByTestId('admin-edge-issue').click();
    const box = this.page.getByTestId('admin-edge-command');
    await expect(box).toHaveValue(/^npm run edge -- /);
    return box.inputValue();
  }

  device(id: string) {
    return this.page.getByTestId(`onboarding-device-${id}`);
  }

  /** Approves a pending device, placing it in `zoneId`; resolves once the edge reported it approved. */
  async approve(id: string, zoneId: string): Promise<void> {
    await this.page.getByTestId(`onboarding-device-zone-${id}`).selectOption(zoneId);
    await this.page.getByTestId(`onboarding-device-approve-${id}`).click();
    await expect(this.device(id)).toHaveAttribute('data-approval', 'approved', { timeout: 20_000 });
  }

  check(name: 'test-card' | 'remote-door' | 'test-alarm') {
    return this.page.getByTestId(`onboarding-check-${name}`);
  }
}
