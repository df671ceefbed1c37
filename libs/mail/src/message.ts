/**
 * Message identity and threading: a deterministic Message-ID per delivery (a resend
 * carries the same id, so a receiver can drop the duplicate), and every email of a
 * case names the case's canonical id in References with a stable subject prefix.
 */
function hostOf(publicUrl: string): string {
  return new URL(publicUrl).hostname;
}

export function deliveryMessageId(deliveryId: string, publicUrl: string): string {
  return `<delivery-${deliveryId}@${hostOf(publicUrl)}>`;
}

export function caseThreadId(caseId: string, publicUrl: string): string {
  return `<case-${caseId}@${hostOf(publicUrl)}>`;
}

export function caseUrl(caseId: string, publicUrl: string): string {
  return `${publicUrl}/cases/${caseId}`;
}

/** No partner names or titles: the subject is read on lock screens and in shared inboxes. */
export function subjectLine(reference: string | null, subject: string): string {
  return reference ? `[${reference}] ${subject}` : subject;
}
