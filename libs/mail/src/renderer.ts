import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { formatDate, isSealed, openSecret } from '@app/domain';
import { TEMPLATE_NAMES, TemplateName } from './recipients';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Templates are files: `<name>.hbs` holds three sections (`=== subject ===`,
 * `=== text ===`, `=== html ===`); `layout.text.hbs` and `layout.html.hbs` wrap every
 * body and carry the case reference and link. `tsc` does not copy .hbs files into
 * dist/, so the compiled build falls back to the source folder.
 */
export function templatesDir(): string {
  const candidates = [join(__dirname, 'templates'), resolve(__dirname, '../../../../libs/mail/src/templates')];
  const found = candidates.find((d) => existsSync(join(d, 'layout.html.hbs')));
  if (!found) throw new Error(`Email templates not found (looked in ${candidates.join(', ')}).`);
  return found;
}

interface Compiled {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
}

/** How many (template, context) renderings `renderShared` keeps: enough for the deliveries of the events in flight. */
const SHARED_RENDERINGS = 200;

export class MailRenderer {
  private readonly hb = Handlebars.create();
  private readonly shared = new Map<string, RenderedMail>();
  /** Stands for the recipient's name in a shared rendering; letters and digits only, so escaping leaves it alone. */
  private readonly namePlaceholder = `RecipientName${randomBytes(12).toString('hex')}`;
  private readonly templates = new Map<string, Compiled>();
  private readonly layoutText: HandlebarsTemplateDelegate;
  private readonly layoutHtml: HandlebarsTemplateDelegate;

  /**
   * `auditKey` opens sealed values of the context (libs/domain sealed-secret.ts), such as
   * an invitation link: they are stored sealed in the delivery row and become plain text
   * only here, in the email being sent.
   */
  constructor(
    dir: string = templatesDir(),
    private readonly auditKey?: string,
  ) {
    this.hb.registerHelper('humanize', (s: unknown) => String(s ?? '').replace(/_/g, ' '));
    // {{formatDate x}}: the one date format (libs/domain dates.ts), "30 November 2026".
    this.hb.registerHelper('formatDate', (s: unknown) => formatDate(typeof s === 'string' || s instanceof Date ? s : null));
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    this.layoutText = this.hb.compile(read('layout.text.hbs'), { noEscape: true, strict: true });
    this.layoutHtml = this.hb.compile(read('layout.html.hbs'), { strict: true });
    const files = readdirSync(dir).filter((f) => f.endsWith('.hbs') && !f.startsWith('layout.'));
    for (const f of files) this.templates.set(f.replace(/\.hbs$/, ''), this.compileSections(f, read(f)));
    const missing = TEMPLATE_NAMES.filter((t) => !this.templates.has(t));
    if (missing.length) throw new Error(`Email templates missing in ${dir}: ${missing.join(', ')}.`);
  }

  private compileSections(file: string, source: string): Compiled {
    const sections: Record<string, string> = {};
    let current: string | null = null;
    for (const line of source.split('\n')) {
      const m = /^=== (subject|text|html) ===\s*$/.exec(line);
      if (m) {
        current = m[1];
        sections[current] = '';
        continue;
      }
      if (current) sections[current] += line + '\n';
    }
    for (const s of ['subject', 'text', 'html']) {
      if (sections[s] === undefined) throw new Error(`Email template ${file} has no "=== ${s} ===" section.`);
    }
    return {
      // Strict: a field the context lacks throws (the delivery fails loudly) instead of rendering blank.
      // Optional fields are guarded with {{#if}} in the templates and given as null by the relay.
      subject: this.hb.compile(sections.subject.trim(), { noEscape: true, strict: true }),
      text: this.hb.compile(sections.text.trim(), { noEscape: true, strict: true }),
      html: this.hb.compile(sections.html.trim(), { strict: true }),
    };
  }

  render(template: TemplateName | string, stored: Record<string, unknown>): RenderedMail {
    const context: Record<string, unknown> = { ...stored };
    for (const [k, v] of Object.entries(context)) {
      if (isSealed(v)) context[k] = this.auditKey === undefined ? '' : openSecret(v, this.auditKey);
    }
    const t = this.templates.get(template);
    if (!t) throw new Error(`No email template "${template}".`);
    const subject = t.subject(context).replace(/\s+/g, ' ').trim();
    const text = this.layoutText({ ...context, body: t.text(context) });
    const html = this.layoutHtml({ ...context, subject, body: new Handlebars.SafeString(t.html(context)) });
    return { subject, text, html };
  }

  /**
   * The same result as `render`, with the template run once per (template, context): the
   * deliveries of one event to many people differ only in `recipientName`, so the email is
   * rendered with a placeholder for the name, kept, and each recipient's name put in (HTML
   * escaped in the HTML part, as the template would). Contexts holding a sealed value (an
   * invitation or reset link: one recipient each) are rendered directly and never kept.
   */
  renderShared(template: TemplateName | string, stored: Record<string, unknown>): RenderedMail {
    const { recipientName, ...rest } = stored;
    if (typeof recipientName !== 'string' || Object.values(rest).some(isSealed)) return this.render(template, stored);
    const key = `${template}\u0000${JSON.stringify(rest)}`;
    let r = this.shared.get(key);
    if (!r) {
      r = this.render(template, { ...rest, recipientName: this.namePlaceholder });
      if (this.shared.size >= SHARED_RENDERINGS) this.shared.delete(this.shared.keys().next().value!);
      this.shared.set(key, r);
    }
    const put = (s: string, name: string) => s.split(this.namePlaceholder).join(name);
    return {
      subject: r.subject.includes(this.namePlaceholder) ? put(r.subject, recipientName).replace(/\s+/g, ' ').trim() : r.subject,
      text: put(r.text, recipientName),
      html: put(r.html, Handlebars.escapeExpression(recipientName)),
    };
  }
}
