import type { Context } from '../cli/context.js';
import { escapeControls } from '../cli/escape.js';
import { OutputFile, storeFiles } from '../cli/files.js';
import {
  OutputWriter,
  printList,
  printRecord,
  type View,
  withOutputOptions,
} from '../cli/output.js';
import { examples, parseId, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { UsageError } from '../errors.js';
import { getDocument, listDocuments } from './service.js';

export const documentView: View = {
  fields: ['id', 'name', 'body', 'itemId', 'ruleId', 'createdAt', 'createdBy'],
  columns: ['id', 'name', 'itemId', 'ruleId', 'createdAt'],
};

const documentListView: View = {
  fields: ['id', 'name', 'size', 'itemId', 'ruleId', 'createdAt', 'createdBy'],
  columns: ['id', 'name', 'size', 'itemId', 'ruleId', 'createdAt'],
};

/** The `document` noun: documents create-document rules rendered from items. */
export const commands: CommandModule['commands'] = {
  document(program, ctx) {
    const document = program
      .command('document')
      .description('Documents rendered from templates with an item’s fields (create-document)')
      .addHelpText(
        'after',
        examples('crmctl document list --item 42', 'crmctl document export 3 contract.txt'),
      );

    withOutputOptions(
      withPaging(
        document
          .command('list')
          .description('List documents, oldest first, without their text (needs items.view)')
          .option('--item <id>', 'only documents of this item'),
      ),
      documentListView,
    )
      .addHelpText(
        'after',
        examples('crmctl document list', 'crmctl document list --item 42 --json'),
      )
      .action(async (options) => {
        const session = ctx.session('items.view');
        const documents = listDocuments(session, {
          itemId: options.item === undefined ? undefined : parseId(options.item, '--item'),
          limit: options.limit,
          offset: options.offset,
        });
        await printList(ctx, documents, options, documentListView);
      });

    withOutputOptions(
      document
        .command('show')
        .description('Show one document with its text (needs items.view)')
        .argument('<id>', 'document id'),
      documentView,
    )
      .addHelpText('after', examples('crmctl document show 3', 'crmctl document show 3 --json'))
      .action(async (id, options) => {
        const session = ctx.session('items.view');
        await printRecord(ctx, getDocument(session, parseId(id)), options, documentView);
      });

    document
      .command('export')
      .description(
        "Write a document's text to FILE (or stdout), as it was rendered (needs items.view). FILE\n" +
          'appears whole or not at all; an existing one is replaced only with --force.',
      )
      .argument('<id>', 'document id')
      .argument('[file]', 'where to write (default: stdout; - for stdout)')
      .option('--output <file>', 'where to write, the same as FILE')
      .option('--force', 'replace FILE if it exists')
      .addHelpText(
        'after',
        examples(
          'crmctl document export 3 contract.txt',
          'crmctl document export 3 --output contract.txt --force',
          'crmctl document export 3 | lpr',
        ),
      )
      .action(async (id, file, options) => {
        if (file !== undefined && options.output !== undefined && file !== options.output) {
          throw new UsageError('give FILE or --output, not both');
        }
        const target = file ?? options.output;
        if (target !== undefined && target.trim() === '')
          throw new UsageError('--output needs a file name');
        const session = ctx.session('items.view');
        const shown = getDocument(session, parseId(id));
        await exportDocument(ctx, shown.body, target, options.force === true);
        if (target !== undefined && target !== '-')
          ctx.note(escapeControls(`Exported document ${shown.id} to ${target}`));
      });
  },
};

async function exportDocument(
  ctx: Context,
  body: string,
  target: string | undefined,
  force: boolean,
): Promise<void> {
  const text = body.endsWith('\n') ? body : `${body}\n`;
  if (target === undefined || target === '-') {
    // On a terminal the lines stay lines, and anything else a terminal would obey is shown escaped.
    const writer = new OutputWriter(ctx.io.stdout);
    writer.add(ctx.io.stdoutIsTTY ? text.split('\n').map(escapeControls).join('\n') : text);
    await writer.flush();
    return;
  }
  const output = new OutputFile(target, {
    what: 'export',
    force,
    protect: storeFiles(ctx.storePath),
  });
  try {
    output.write(text);
    output.commit();
  } catch (error) {
    output.discard();
    throw error;
  }
}
