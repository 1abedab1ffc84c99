import PDFDocument from 'pdfkit';
import type { SiteReport } from './report-data';

/** The built-in PDF fonts cover Latin-1 only; other scripts (Korean site names) fall back to the id. */
const latin = (text: string, fallback: string): string => text.replace(/[^\x20-\x7E]/g, '').trim() || fallback;

export interface PdfMeta {
  title: string;
  period: string;
  from: number;
  to: number;
}

/** The report as a PDF (pdfkit). `compress: false` keeps text greppable for checks and archives. */
export function reportPdf(sites: SiteReport[], meta: PdfMeta, compress = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ compress, size: 'A4', margin: 50, info: { Title: meta.title } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(18).text(meta.title);
    doc
      .fontSize(10)
      .text(`Period: ${meta.period}, ${new Date(meta.from).toISOString()} to ${new Date(meta.to).toISOString()}`);
    for (const s of sites) {
      doc
        .moveDown()
        .fontSize(14)
        .text(`Site ${s.siteId} - ${latin(s.siteName, s.siteId)}`);
      doc.fontSize(10);
      doc.text(`Access granted: ${s.accessGranted}`);
      doc.text(`Access denied: ${s.accessDenied}`);
      for (const a of s.alerts) {
        doc.text(
          `Alerts ${a.type}: ${a.count} (mean time to ack ${a.meanAckSec ?? '-'} s, to resolve ${a.meanResolveSec ?? '-'} s)`,
        );
      }
      for (const [status, n] of Object.entries(s.commands).sort()) doc.text(`Door commands ${status}: ${n}`);
      doc.text(`Device uptime: ${s.deviceUptimePct}% of ${s.devices} devices`);
    }
    doc.end();
  });
}
