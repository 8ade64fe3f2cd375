export type RejectReason =
  | 'empty'
  | 'not-a-number'
  | 'needs-country'
  | 'invalid-country'
  | 'invalid-number'
  | 'too-short'
  | 'too-long'
  | 'extension'
  | 'not-an-email';

/** Every reason code, in the order summaries list them. */
export const REJECT_REASONS: readonly RejectReason[] = [
  'empty',
  'not-a-number',
  'needs-country',
  'invalid-country',
  'invalid-number',
  'too-short',
  'too-long',
  'extension',
  'not-an-email',
];

export type ContactKind = 'phone' | 'email';

export interface NormalisedValue {
  kind: ContactKind;
  /** Display/stored form: E.164 for phones; the address with its domain lower-cased for emails. */
  value: string;
  /** Uniqueness/matching key: E.164 for phones; the whole address lower-cased for emails. */
  key: string;
  country?: string;
}

export type Normalised =
  | ({ ok: true } & NormalisedValue)
  | { ok: false; kind: ContactKind; reason: RejectReason; message: string };

export function reject(kind: ContactKind, reason: RejectReason, message: string): Normalised {
  return { ok: false, kind, reason, message };
}
