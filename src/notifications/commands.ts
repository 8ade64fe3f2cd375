import { printList, type View, withOutputOptions } from '../cli/output.js';
import { examples, parseIds, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { UsageError } from '../errors.js';
import { listNotifications, markNotificationsRead } from './service.js';

export const notificationView: View = {
  fields: [
    'id',
    'user',
    'text',
    'itemId',
    'source',
    'ruleId',
    'createdAt',
    'createdBy',
    'read',
    'readAt',
  ],
  columns: ['id', 'read', 'text', 'itemId', 'source', 'createdAt'],
};

/** The `notification` noun: notices for employees (notify rules, telephony). */
export const commands: CommandModule['commands'] = {
  notification(program, ctx) {
    const notification = program
      .command('notification')
      .description(
        'Notifications for employees, left by notify rules and by telephony (auto-block notices)',
      )
      .addHelpText(
        'after',
        examples('crmctl notification list --unread', 'crmctl notification read 4 5'),
      );

    withOutputOptions(
      withPaging(
        notification
          .command('list')
          .description(
            "List your notifications, oldest first (needs items.view); another user's with --user\n" +
              'needs users.manage',
          )
          .option('--user <login>', "this user's notifications (default: yours)")
          .option('--unread', 'only those not read yet'),
      ),
      notificationView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl notification list --unread',
          'crmctl notification list --user anna --json',
        ),
      )
      .action(async (options) => {
        const session = ctx.session('items.view');
        if (options.user !== undefined && options.user.trim() === '')
          throw new UsageError('--user needs a login');
        const notices = listNotifications(session, {
          login: options.user?.trim(),
          unread: options.unread === true,
          limit: options.limit,
          offset: options.offset,
        });
        await printList(ctx, notices, options, notificationView);
      });

    withOutputOptions(
      notification
        .command('read')
        .description(
          'Mark your notifications read: the ids given, or with --all every unread one (needs\n' +
            'items.view). One read already is left as it is.',
        )
        .argument('[id...]', 'notification ids')
        .option('--all', 'every unread notification of yours'),
      notificationView,
    )
      .addHelpText(
        'after',
        examples('crmctl notification read 4 5', 'crmctl notification read --all'),
      )
      .action(async (ids, options) => {
        if (ids.length === 0 && !options.all)
          throw new UsageError('name the notifications to mark read, or give --all');
        if (ids.length > 0 && options.all) throw new UsageError('give ids or --all, not both');
        const wanted = options.all ? undefined : [...new Set(parseIds(ids, 'a notification id'))];
        const session = ctx.session('items.view');
        const result = session.write(() => markNotificationsRead(session, wanted));
        await printList(ctx, result.marked, options, notificationView);
        const already = result.alreadyRead.length;
        ctx.note(
          `Marked ${result.marked.length} read${already ? `; ${already} read already (${result.alreadyRead.join(', ')})` : ''}`,
        );
      });
  },
};
