import PDFDocument from 'pdfkit';
import type { SiteReport } from './report-data';

/** The built-in PDF fonts cover Latin-1 only; other scripts (Korean site names) fall back to the id. */
export const latin = (text: string, fallback: string): string => text.replace(/[^\x20-\x7E]/g, '').trim() || fallback;

export interface PdfMeta {
  title: string;
  period: string;
  from: number;
  to: number;
}

/** One titled block of a report: a heading and its lines of text. */
export interface PdfSection {
  heading: string;
  lines: string[];
}

/** A report as a PDF (pdfkit): title, period, then each section. `compress: false` keeps text greppable for checks and archives. */
export function sectionsPdf(sections: PdfSection[], meta: PdfMeta, compress = false): Promise<Buffer> {
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
    for (const s of sections) {
      doc.moveDown().fontSize(14).text(s.heading);
      doc.fontSize(10);
      for (const line of s.lines) doc.text(line);
    }
    doc.end();
  });
}

/** The site report as a PDF. */
export function reportPdf(sites: SiteReport[], meta: PdfMeta, compress = false): Promise<Buffer> {
  const sections = sites.map((s) => ({
    heading: `Site ${s.siteId} - ${latin(s.siteName, s.siteId)}`,
    lines: [
      `Access granted: ${s.accessGranted}`,
      `Access denied: ${s.accessDenied}`,
      ...s.alerts.map(
        (a) => `Alerts ${a.type}: ${a.count} (mean time to ack ${a.meanAckSec ?? '-'} s, to resolve ${a.meanResolveSec ?? '-'} s)`,
      ),
      ...Object.entries(s.commands)
        .sort()
        .map(([status, n]) => `Door commands ${status}: ${n}`),
      `Device uptime: ${s.deviceUptimePct}% of ${s.devices} devices`,
    ],
  }));
  return sectionsPdf(sections, meta, compress);
}
