import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isStaff, questionnaire, renderAnswers, RiskAssessment, STATE_LABELS } from '@app/domain';
import { AttachmentRepository, AuditRepository, EvidenceRepository, ScreeningRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseService } from '../cases/case.service';
import { eventView } from '../cases/case-view';
import { AttachmentStore } from '../documents/attachment-store';

/**
 * The evidence pack of one case: the same content as case.json, in the PDF, and in the ZIP.
 * Staff get every part; anyone else who may see the case (the owner) gets the researcher-safe
 * pack: no risk factors, no screening, and the timeline as the researcher sees it.
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CaseService,
    private readonly audit: AuditRepository,
    private readonly screening: ScreeningRepository,
    private readonly evidence: EvidenceRepository,
    private readonly attachments: AttachmentRepository,
    private readonly store: AttachmentStore,
  ) {}

  async pack(user: CurrentUser, caseId: string) {
    const em = this.ds.manager;
    const c = await this.cases.getVisible(em, caseId, user);
    const full = isStaff(user.roles);
    const { events, verification } = await this.audit.verifyCase(em, c.id);
    const names = await this.evidence.userNames(em, [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))]);
    const risk = full ? await this.screening.latestAssessment(em, c.id) : null;
    const def = questionnaire(c.questionnaireVersion);
    const signOffs = events
      .filter((e) => e.action === 'endorse' || e.action === 'decline')
      .map((e) => ({
        action: e.action,
        by: names.get(e.actorId ?? '') ?? e.actorId,
        signedAs: (e.payload as { signedAs?: string }).signedAs ?? null,
        at: e.createdAt.toISOString(),
        comment: (e.payload as { comment?: string }).comment ?? null,
      }));
    return {
      kind: full ? 'staff' : 'researcher',
      generatedAt: new Date().toISOString(),
      generatedFor: user.email,
      case: {
        id: c.id,
        reference: c.reference,
        title: c.title,
        state: c.state,
        stateLabel: STATE_LABELS[c.state],
        outcome: c.outcome,
        department: await this.evidence.departmentName(em, c.departmentId),
        submittedAt: c.submittedAt?.toISOString() ?? null,
        closedAt: c.closedAt?.toISOString() ?? null,
      },
      questionnaire: { version: def.version, title: def.title, sections: renderAnswers(def, c.answers as Record<string, unknown>) },
      riskAssessment: risk
        ? {
            level: risk.level,
            score: risk.score,
            route: risk.route,
            rulesVersion: risk.rulesVersion,
            questionnaireVersion: risk.questionnaireVersion,
            assessedAt: risk.createdAt.toISOString(),
            assessment: risk.assessment,
          }
        : null,
      screening: full ? await this.evidence.screening(em, c.id) : null,
      exportControl: c.exportAssessment ?? null,
      decision: c.decision
        ? { ...c.decision, conditions: (c.decision.conditions ?? []).map((x) => ({ ...x, status: (x as { metAt?: string }).metAt ? 'met' : 'open' })) }
        : null,
      rejection: c.rejection ?? null,
      signOffs,
      timeline: events
        .map((e) => {
          const v = eventView(e, full);
          return (
            v && {
              seq: v.seq,
              at: e.createdAt.toISOString(),
              action: v.action,
              fromState: v.fromState,
              toState: v.toState,
              by: names.get(e.actorId ?? '') ?? null,
              hash: e.hash,
              prevHash: e.prevHash,
            }
          );
        })
        .filter((x) => x !== null),
      chain: verification.ok
        ? { verified: true, events: verification.count, checkedAt: new Date().toISOString() }
        : { verified: false, brokenAtSeq: verification.seq, reason: verification.reason, checkedAt: new Date().toISOString() },
    };
  }

  async pdf(user: CurrentUser, caseId: string): Promise<{ reference: string; bytes: Buffer }> {
    const p = await this.pack(user, caseId);
    return { reference: p.case.reference, bytes: await renderPdf(p) };
  }

  /** The PDF, case.json and every attachment that passed the virus scan. */
  async zip(user: CurrentUser, caseId: string): Promise<{ reference: string; bytes: Buffer }> {
    const p = await this.pack(user, caseId);
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file('evidence.pdf', await renderPdf(p));
    zip.file('case.json', JSON.stringify(p, null, 2));
    const files = (await this.attachments.listForCase(this.ds.manager, caseId)).filter((a) => a.status === 'clean');
    const used = new Set<string>();
    for (const a of files) {
      let name = a.fileName.replace(/[/\\]/g, '_');
      if (used.has(name)) name = `${a.id}-${name}`;
      used.add(name);
      const chunks: Buffer[] = [];
      for await (const chunk of await this.store.open(a.storageKey)) chunks.push(chunk as Buffer);
      zip.file(`attachments/${name}`, Buffer.concat(chunks));
    }
    return { reference: p.case.reference, bytes: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) };
  }
}

type Pack = Awaited<ReturnType<EvidenceService['pack']>>;

/** Lays the pack out with pdfkit: headings, label/value lines, and the timeline with each hash. */
async function renderPdf(p: Pack): Promise<Buffer> {
  // pdfkit and jszip load on the first evidence pack, not at boot (~30 MB a process serving commands never needs; issue 17, RSS).
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: `Evidence pack ${p.case.reference}`, Author: 'Trusted Research', Subject: p.case.title },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const h1 = (t: string) => doc.font('Helvetica-Bold').fontSize(18).text(t).moveDown(0.5);
    const h2 = (t: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(t).moveDown(0.3);
    const line = (label: string, value: unknown) => {
      doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .text(`${label}: `, { continued: true })
        .font('Helvetica')
        .text(value === null || value === undefined || value === '' ? '-' : String(value));
    };
    const small = (t: string) => doc.font('Helvetica').fontSize(8).text(t);

    h1(`Evidence pack: ${p.case.reference}`);
    line('Title', p.case.title);
    line('State', p.case.stateLabel);
    line('Outcome', p.case.outcome);
    line('Department', p.case.department);
    line('Submitted', p.case.submittedAt);
    line('Closed', p.case.closedAt);
    line('Pack', p.kind === 'staff' ? 'Full (staff)' : 'Researcher copy');
    line('Generated', `${p.generatedAt} for ${p.generatedFor}`);

    h2(`Answers (questionnaire version ${p.questionnaire.version})`);
    for (const s of p.questionnaire.sections) {
      doc.font('Helvetica-Bold').fontSize(11).text(s.title).moveDown(0.2);
      for (const item of s.items) line(item.label, item.value);
      doc.moveDown(0.3);
    }

    if (p.riskAssessment) {
      h2('Risk assessment');
      line('Level', p.riskAssessment.level);
      line('Score', p.riskAssessment.score);
      line('Route', p.riskAssessment.route);
      line('Rules version', p.riskAssessment.rulesVersion);
      line('Questionnaire version', p.riskAssessment.questionnaireVersion);
      line('Assessed', p.riskAssessment.assessedAt);
      const a = p.riskAssessment.assessment as Partial<RiskAssessment>;
      if (a.summary) line('Summary', a.summary);
      for (const f of a.factors ?? [])
        small(`- ${f.factor}: ${f.points} points (score ${f.score} x weight ${f.weight})${f.reasons.length ? `: ${f.reasons.join('; ')}` : ''}`);
      for (const f of a.hardFlags ?? []) small(`- hard flag ${f.code}: ${f.reason}`);
    }

    if (p.screening) {
      h2('Screening checks');
      if (!p.screening.length) doc.font('Helvetica').fontSize(10).text('No list matched any partner or person.');
      for (const s of p.screening) {
        line('Subject', s.subject);
        line(
          'List',
          `${s.list} (${s.sourceList}), published ${s.listPublishedAt ?? 'undated'}, imported ${new Date(s.listImportedAt).toISOString()}, sha256 ${s.listSha256.slice(0, 16)}...`,
        );
        line('Entry', `${s.entryName} (matched "${s.matchedName}")`);
        line('Score', s.score.toFixed(4));
        line(
          'Decision',
          s.decision === 'cleared'
            ? `cleared as a false positive by ${s.decidedBy} (${s.decisionReason ?? ''})`
            : s.decision === 'confirmed'
              ? `confirmed by ${s.decidedBy} (${s.decisionReason ?? ''})`
              : 'undecided',
        );
        doc.moveDown(0.3);
      }
    }

    h2('Export-control assessment');
    if (!p.exportControl) doc.font('Helvetica').fontSize(10).text('None recorded.');
    else for (const [k, v] of Object.entries(p.exportControl)) line(k, typeof v === 'object' ? JSON.stringify(v) : v);

    h2('Decision and conditions');
    if (p.decision) {
      line('Decision', (p.decision as { decisionText?: string }).decisionText);
      p.decision.conditions.forEach((c, i) => line(`Condition ${i + 1} (${c.status})`, `${c.text}${c.dueDate ? `, due ${c.dueDate}` : ''}`));
      line('Review date', (p.decision as { reviewDate?: string }).reviewDate);
    } else if (p.rejection) line('Rejected', JSON.stringify(p.rejection));
    else doc.font('Helvetica').fontSize(10).text('No decision yet.');

    h2('Sign-off');
    if (!p.signOffs.length) doc.font('Helvetica').fontSize(10).text('No sign-off recorded.');
    for (const s of p.signOffs)
      line(s.action === 'endorse' ? 'Endorsed' : 'Declined', `${s.by} as ${s.signedAs ?? 'signer'}, ${s.at}${s.comment ? `: ${s.comment}` : ''}`);

    h2('Audit timeline');
    line(
      'Chain verification',
      p.chain.verified
        ? `verified: ${p.chain.events} events hash into an unbroken chain (checked ${p.chain.checkedAt})`
        : `BROKEN at event ${p.chain.brokenAtSeq}: ${p.chain.reason}`,
    );
    doc.moveDown(0.3);
    for (const e of p.timeline) {
      doc
        .font('Helvetica-Bold')
        .fontSize(9)
        .text(
          `${e.seq}. ${e.at} ${e.action}${e.toState && e.toState !== e.fromState ? ` (${e.fromState ?? '-'} -> ${e.toState})` : ''}${e.by ? ` by ${e.by}` : ''}`,
        );
      small(`hash ${e.hash}`);
    }
    doc.end();
  });
}
