import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { printList, printRecord, type View, withOutputOptions } from '../cli/output.js';
import { collect, examples, parseId, parseIds, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { printChange } from '../cli/result.js';
import { addParty, getParty, listParties, type PartyKind, updateParty } from './service.js';

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

/** `contact` and `company` work the same way; only the link goes the other way. */
function registerParty(program: Command, ctx: Context, kind: PartyKind): void {
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
  const group = program
    .command(kind)
    .description(
      kind === 'contact'
        ? 'People you deal with: names, phones, emails'
        : 'Companies you deal with',
    )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} add --name "${kind === 'contact' ? 'Anna Smith' : 'Oak & Co'}" --phone "+44 20 7946 0958"`,
        `crmctl ${kind} list --json`,
      ),
    );

  withOutputOptions(
    group
      .command('add')
      .description(`Add a ${kind} (needs items.edit); prints its id`)
      .addOption(new Option('--name <name>', 'name').makeOptionMandatory())
      .option('--phone <phone>', 'phone, any spelling (repeatable)', collect)
      .option('--email <email>', 'email (repeatable)', collect)
      .option(
        '--country <code>',
        'country for phones in national format (default: settings default-country)',
      )
      .option(flag, `link a ${other} (repeatable)`, collect),
    view,
  )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} add --name "Anna Smith" --phone "020 7946 0958" --email anna@example.com`,
      ),
    )
    .action(async (options) => {
      const session = ctx.session('items.edit');
      const id = session.write(() =>
        addParty(session, kind, {
          name: options.name,
          phones: options.phone,
          emails: options.email,
          country: options.country,
          links: linksOf(options as { company?: string[]; contact?: string[] }),
        }),
      );
      const added = getParty(session, kind, id);
      await printChange(ctx, options, { ...added }, view, {
        id,
        note: `Added ${kind} #${id} ${added.name}`,
      });
    });

  withOutputOptions(
    withPaging(group.command('list'))
      .description(`List ${kind === 'contact' ? 'contacts' : 'companies'}, filtered`)
      .option('--search <text>', 'name contains this text')
      .option('--phone <phone>', 'has this phone, in any spelling')
      .option('--email <email>', 'has this email (case-insensitive)')
      .option('--country <code>', 'country for a --phone in national format'),
    view,
  )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} list --search smith`,
        `crmctl ${kind} list --phone "+44 20 7946 0958" --json`,
      ),
    )
    .action(async (options) => {
      const session = ctx.session('items.view');
      const parties = listParties(session, kind, {
        search: options.search,
        phone: options.phone,
        email: options.email,
        country: options.country,
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, parties, options, view);
    });

  withOutputOptions(
    group.command('show').description(`Show a ${kind}`).argument('<id>', `${kind} id`),
    view,
  )
    .addHelpText('after', examples(`crmctl ${kind} show 7 --json`))
    .action(async (id, options) => {
      const session = ctx.session('items.view');
      await printRecord(ctx, getParty(session, kind, parseId(id)), options, view);
    });

  withOutputOptions(
    group
      .command('update')
      .description(`Change a ${kind} (needs items.edit); --phone/--email replace the existing ones`)
      .argument('<id>', `${kind} id`)
      .option('--name <name>', 'new name')
      .option('--phone <phone>', 'replace the phones (repeatable)', collect)
      .option('--email <email>', 'replace the emails (repeatable)', collect)
      .option(
        '--country <code>',
        'country for phones in national format (default: settings default-country)',
      )
      .option(
        flag,
        `replace the linked ${other === 'company' ? 'companies' : 'contacts'} (repeatable; none: unlink all)`,
        collect,
      ),
    view,
  )
    .addHelpText(
      'after',
      examples(`crmctl ${kind} update 7 --phone "+44 20 7946 0958" --phone "+44 7911 123456"`),
    )
    .action(async (id, options) => {
      const session = ctx.session('items.edit');
      const updated = session.write(() =>
        updateParty(session, kind, parseId(id), {
          name: options.name,
          phones: options.phone,
          emails: options.email,
          country: options.country,
          links: linksOf(options as { company?: string[]; contact?: string[] }),
        }),
      );
      await printChange(ctx, options, { ...updated }, view, {
        id: updated.id,
        note: `Updated ${kind} #${updated.id}`,
      });
    });
}

export const commands: CommandModule['commands'] = {
  contact: (program, ctx) => registerParty(program, ctx, 'contact'),
  company: (program, ctx) => registerParty(program, ctx, 'company'),
};
