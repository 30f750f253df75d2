import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { ErrorCode, SURVEY_BLIND_RSA_VARIANT, SurveyInfo, SurveyResponseRequest, isErrorBody } from '@hearth/protocol';
import { HearthApiError, HearthClient, REQUEST_TIMEOUT_MS } from './http';

/** What a participant keeps between obtaining a token and answering: nothing in it names them. */
export interface SurveyTicket {
  survey_id: string;
  /** The prepared (randomized) message that was blinded, base64url. */
  token: string;
  /** The finalized RFC 9474 signature over it, base64url. */
  signature: string;
}

const suite = RSABSSA.SHA384.PSS.Randomized();

function toB64u(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64u(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function importSurveyKey(survey: SurveyInfo): Promise<CryptoKey> {
  if (survey.variant !== SURVEY_BLIND_RSA_VARIANT)
    throw new Error(`unsupported survey variant ${String(survey.variant)}`);
  const key = await crypto.subtle.importKey(
    'spki',
    fromB64u(survey.public_key_spki),
    { name: 'RSA-PSS', hash: 'SHA-384' },
    true,
    ['verify'],
  );
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  if (bits < 2048) throw new Error(`survey key of ${bits} bits is too weak`);
  return key;
}

/**
 * A short fingerprint of a survey's key (SHA-256, first 16 bytes, hex in groups). Everyone in a
 * cohort must see the same one: a hub handing each member its own key could tell them apart.
 */
export async function surveyKeyFingerprint(survey: Pick<SurveyInfo, 'public_key_spki'>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', fromB64u(survey.public_key_spki)));
  return [...digest.slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .match(/.{4}/g)!
    .join(' ');
}

/**
 * While logged in: picks a random token, blinds it, has the hub sign it blind, and unblinds the
 * signature (RFC 9474). The hub sees only the blinded message, which it cannot link to the
 * token later. Finalize checks the signature, so a ticket that comes back is valid.
 *
 * Get the ticket well before answering (e.g. when the survey is first shown): a token obtained
 * and spent in the same second lets whoever watches the hub's database match them by order.
 */
export async function obtainSurveyTicket(client: HearthClient, survey: SurveyInfo): Promise<SurveyTicket> {
  const key = await importSurveyKey(survey);
  const prepared = suite.prepare(crypto.getRandomValues(new Uint8Array(32)));
  const { blindedMsg, inv } = await suite.blind(key, prepared);
  const { blind_sig } = await client.surveyBlindSign(survey.survey_id, toB64u(blindedMsg));
  const signature = await suite.finalize(key, prepared, fromB64u(blind_sig), inv);
  return { survey_id: survey.survey_id, token: toB64u(prepared), signature: toB64u(signature) };
}

/**
 * Sends the answers with no account attached: a plain request with no token, no cookie and no
 * header of the session (only `extraHeaders` a proxy in front of the hub requires).
 */
export async function submitSurveyAnswers(
  baseUrl: string,
  ticket: SurveyTicket,
  answers: Record<string, number>,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const body: SurveyResponseRequest = { token: ticket.token, signature: ticket.signature, answers };
  const res = await fetch(`${baseUrl}/api/v1/surveys/${encodeURIComponent(ticket.survey_id)}/responses`, {
    method: 'POST',
    headers: { ...extraHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (res.ok) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await res.text());
  } catch {
    // Not JSON: reported by status.
  }
  throw new HearthApiError(
    res.status,
    isErrorBody(parsed) ? parsed : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
  );
}
