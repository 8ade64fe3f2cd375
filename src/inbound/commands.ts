import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { examples } from '../cli/parse.js';
import type { CommandModule, Registrar } from '../cli/registry.js';
import { registerChatIncoming } from './commands/chat-incoming.js';
import { registerEmailIncoming } from './commands/email-incoming.js';
import { registerFormSubmit } from './commands/form-submit.js';
import { registerLog } from './commands/log.js';
import type { Channel } from './decide.js';

/** A channel's command: the verb by which a communication arrives, and its log. */
function channel(
  name: Channel,
  description: string,
  lines: string[],
  registerArrival: (group: Command, ctx: Context) => void,
): Registrar {
  return (program, ctx) => {
    const group = program
      .command(name)
      .description(description)
      .addHelpText('after', examples(...lines));
    registerArrival(group, ctx);
    registerLog(group, ctx, name);
  };
}

export const commands: CommandModule['commands'] = {
  email: channel(
    'email',
    'Simulate inbound email: a new email from a listed address creates nothing; replies to saved threads are kept',
    [
      'crmctl email incoming --from anna@example.com --subject "Sofa price?"',
      'crmctl email log --status blocked',
    ],
    registerEmailIncoming,
  ),
  form: channel(
    'form',
    'Simulate CRM web-form submissions: they always create a lead (the exceptions list does not apply)',
    ['crmctl form submit --name "Olivia Brown" --phone "020 7946 0958"'],
    registerFormSubmit,
  ),
  chat: channel(
    'chat',
    'Simulate inbound chats: attached to the sender’s open item or a new lead (the exceptions list does not apply)',
    ['crmctl chat incoming --from "+44 20 7946 0958" --text "Is the sofa in stock?"'],
    registerChatIncoming,
  ),
};
