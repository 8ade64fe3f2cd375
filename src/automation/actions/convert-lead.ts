import { addParty } from '../../contacts/service.js';
import { addItem } from '../../items/service.js';
import { getPipeline } from '../../pipelines/service.js';
import type { ActionType } from '../action.js';
import { automaticMove, LoopStop } from '../loop-guard.js';

/**
 * `convert-lead`: a lead becomes a deal (default deal pipeline, first stage) with a contact
 * holding its phones and emails, and a company when the lead names one (custom field
 * `company`); the lead moves to its success stage.
 */
export const convertLead: ActionType = {
  name: 'convert-lead',
  description: 'Convert a lead into a deal, a contact and (with fields.company) a company',
  parameters: [],
  run({ session, item, rule, chain }) {
    if (item.type !== 'lead') return { status: 'skipped', detail: `a ${item.type} is not a lead` };
    const companyName = item.fields.company?.trim();
    const company = companyName ? addParty(session, 'company', { name: companyName }) : undefined;
    const contact = addParty(session, 'contact', {
      name: item.fields.contact?.trim() || item.title,
      phones: item.phones,
      emails: item.emails,
      ...(company === undefined ? {} : { links: [company] }),
    });
    const { company: _company, contact: _contact, ...fields } = item.fields;
    const deal = addItem(session, {
      type: 'deal',
      title: item.title,
      ...(item.amount === null ? {} : { amount: item.amount }),
      ...(item.currency === null ? {} : { currency: item.currency }),
      ...(item.responsible === null ? {} : { responsible: item.responsible }),
      contact,
      ...(company === undefined ? {} : { company }),
      source: item.source as 'manual',
      fields,
    });
    const success = getPipeline(session, String(item.pipeline.id)).stages.find(
      (stage) => stage.semantic === 'success',
    );
    let note = '';
    if (success && success.id !== item.stage.id) {
      const moved = automaticMove(session, { kind: 'rule', id: rule.id }, chain, item, success.id);
      if (moved instanceof LoopStop) note = `; the lead stays: ${moved.detail}`;
    }
    return {
      status: 'done',
      detail: `converted into deal #${deal.id}, contact #${contact}${company === undefined ? '' : `, company #${company}`}${note}`,
      made: { dealId: deal.id, contactId: contact, companyId: company ?? null },
    };
  },
};
