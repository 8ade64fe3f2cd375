import { Option } from '@commander-js/extra-typings';
import type { FlagHint } from '../../cli/flag-hints.js';
import type { View } from '../../cli/output.js';
import { parseIds } from '../../cli/parse.js';
import { ContactValueError, type PartyKind } from '../service.js';

const views: Record<PartyKind, View> = {
  contact: {
    fields: ['id', 'name', 'phones', 'emails', 'companyIds', 'createdAt', 'updatedAt'],
    columns: ['id', 'name', 'phones', 'emails', 'companyIds'],
  },
  company: {
    fields: ['id', 'name', 'phones', 'emails', 'contactIds', 'createdAt', 'updatedAt'],
    columns: ['id', 'name', 'phones', 'emails', 'contactIds'],
  },
};

const linkFlag: Record<PartyKind, { flag: string; other: string }> = {
  contact: { flag: '--company <id>', other: 'company' },
  company: { flag: '--contact <id>', other: 'contact' },
};

/** What the verbs of `contact` and `company` share: the view, and the link to the other kind. */
export function partyParts(kind: PartyKind) {
  const view = views[kind];
  const { flag, other } = linkFlag[kind];
  const linksOf = (options: { company?: string[]; contact?: string[] }) => {
    const given = kind === 'contact' ? options.company : options.contact;
    if (given === undefined) return undefined;
    // `--company none` unlinks them all.
    return given.length === 1 && given[0]?.trim().toLowerCase() === 'none'
      ? []
      : parseIds(given, `--${other}`);
  };
  return { view, flag, other, linksOf };
}

/** A phone or email given with --phone or --email that cannot be stored: `--phone "…": why`. */
export const contactValueHint: FlagHint = (error) =>
  error instanceof ContactValueError
    ? `--${error.kind} ${JSON.stringify(error.raw)}: ${error.detail} (${error.reason})`
    : undefined;

/** `--country CC` for phones written in national format: those stored, or one looked up. */
export function countryOption(use: 'store' | 'lookup' = 'store') {
  return new Option(
    '--country <code>',
    use === 'store'
      ? 'country for phones in national format (default: settings default-country)'
      : 'country for a --phone in national format',
  );
}
