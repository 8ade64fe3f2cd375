import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { submitForm } from '../service.js';
import { receiveAndPrint, resultView } from './receive.js';

/** `form submit`: a CRM web form is submitted. */
export function registerFormSubmit(form: Command, ctx: Context) {
  withOutputOptions(
    form
      .command('submit')
      .description('A CRM form is submitted (needs items.edit): creates a lead; prints its id')
      .addOption(new Option('--name <name>', 'the name given').makeOptionMandatory())
      .option('--phone <phone>', 'phone given, any spelling')
      .option('--email <email>', 'email given')
      .option('--country <code>', 'country for a national --phone'),
    resultView,
  )
    .addHelpText(
      'after',
      examples('crmctl form submit --name "Olivia Brown" --email olivia@example.co.uk'),
    )
    .action((options) =>
      receiveAndPrint(
        ctx,
        options,
        { name: '--name', phone: '--phone', email: '--email' },
        (session) =>
          submitForm(session, {
            name: options.name,
            phone: options.phone,
            email: options.email,
            country: options.country,
          }),
      ),
    );
}
