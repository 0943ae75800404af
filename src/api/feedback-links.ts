// Signed feedback links: the reporter rates a resolution from a link in the resolution notice, without an account.
// The token is an HMAC of the case id and the feedback round, so a link works for that case and round only.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 over `<caseId>:<round>`, base64url (URL-safe, no padding). */
export function signFeedback(secret: string, caseId: string, round: number): string {
  return createHmac('sha256', secret).update(`${caseId}:${round}`).digest('base64url');
}

/** Whether `token` is the signature of this case and round, compared in constant time. */
export function verifyFeedback(secret: string, caseId: string, round: number, token: string): boolean {
  if (!Number.isInteger(round) || round < 0) return false;
  const expected = Buffer.from(signFeedback(secret, caseId, round));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The link to the feedback page of a case's round, e.g. https://escalations.example.com/feedback/ESC-1?round=0&token=... */
export function feedbackUrl(baseUrl: string, secret: string, caseId: string, round: number): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/feedback/${encodeURIComponent(caseId)}?round=${round}&token=${signFeedback(secret, caseId, round)}`;
}
