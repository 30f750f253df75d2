import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { ErrorCode, SURVEY_BLIND_RSA_VARIANT, SurveyInfo, SurveyResponseRequest, isErrorBody } from '@hearth/protocol';
import { HearthClient } from './http/client';
import { HearthApiError, REQUEST_TIMEOUT_MS } from './http/core';

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

/** WebCrypto's key type, named without the DOM library (the server build compiles this file too). */
type WebKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

async function importSurveyKey(survey: SurveyInfo): Promise<WebKey> {
  if (survey.variant !== SURVEY_BLIND_RSA_VARIANT)
    throw new Error(`unsupported survey variant ${String(survey.variant)}`);
  const key = await crypto.subtle.importKey(
    'spki',
    fromB64u(survey.public_key_spki),
    { name: 'RSA-PSS', hash: 'SHA-384' },
    true,
    ['verify'],
  );
  const bits = (key.algorithm as { modulusLength?: number }).modulusLength ?? 0;
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
 * A token prepared and blinded, not yet signed. Keep it (encrypted, on the device) until the
 * ticket is complete: the hub signs one blinded message per member and survey, and signs that
 * same message again when asked, so a lost answer or a reload costs nothing.
 */
export interface PendingSurveyTicket {
  survey_id: string;
  prepared: string;
  blinded_msg: string;
  inv: string;
}

/** Picks a random token and blinds it under the survey's key (nothing is sent). */
export async function prepareSurveyTicket(survey: SurveyInfo): Promise<PendingSurveyTicket> {
  const key = await importSurveyKey(survey);
  const prepared = suite.prepare(crypto.getRandomValues(new Uint8Array(32)));
  const { blindedMsg, inv } = await suite.blind(key, prepared);
  return { survey_id: survey.survey_id, prepared: toB64u(prepared), blinded_msg: toB64u(blindedMsg), inv: toB64u(inv) };
}

/**
 * While logged in: has the hub sign the blinded token, and unblinds the signature (RFC 9474).
 * The hub sees only the blinded message, which it cannot link to the token later. Finalize
 * checks the signature, so a ticket that comes back is valid.
 */
export async function completeSurveyTicket(
  client: HearthClient,
  survey: SurveyInfo,
  pending: PendingSurveyTicket,
): Promise<SurveyTicket> {
  const key = await importSurveyKey(survey);
  const { blind_sig } = await client.surveyBlindSign(survey.survey_id, pending.blinded_msg);
  const prepared = fromB64u(pending.prepared);
  const signature = await suite.finalize(key, prepared, fromB64u(blind_sig), fromB64u(pending.inv));
  return { survey_id: survey.survey_id, token: pending.prepared, signature: toB64u(signature) };
}

/**
 * Prepare and complete in one go. Get the ticket well before answering (e.g. when the survey is
 * first shown): a token obtained and spent in the same moment lets whoever watches the hub's
 * database while the survey is open match them by time.
 */
export async function obtainSurveyTicket(client: HearthClient, survey: SurveyInfo): Promise<SurveyTicket> {
  return completeSurveyTicket(client, survey, await prepareSurveyTicket(survey));
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
    // No cookie, no referrer; and in browsers a request without credentials travels on a
    // connection pool of its own, so it shares no connection with the session.
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
