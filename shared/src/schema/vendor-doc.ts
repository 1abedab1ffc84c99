import type * as Y from 'yjs';
import { listAlerts, type AlertView } from './alerts';
import { siteEntrySchema, type SiteEntry } from './tenant-doc';

/**
 * A vendor's document (`vendor:{tenantId}:{userId}`): derived by the server from the site
 * documents, holding only the vendor's sites and their facility-fault alerts. Vendors open it
 * read-only; it uses the same alert maps as a site document.
 */
export const VENDOR_MAPS = { sites: 'sites' } as const;

export class VendorDoc {
  constructor(readonly doc: Y.Doc) {}

  sites(): SiteEntry[] {
    const out: SiteEntry[] = [];
    this.doc.getMap(VENDOR_MAPS.sites).forEach((v) => {
      const r = siteEntrySchema.safeParse(v);
      if (r.success) out.push(r.data);
    });
    return out;
  }

  setSite(entry: SiteEntry): void {
    this.doc.getMap(VENDOR_MAPS.sites).set(entry.id, siteEntrySchema.parse(entry));
  }

  alerts(): AlertView[] {
    return listAlerts(this.doc).filter((a) => a.category === 'facility');
  }
}
