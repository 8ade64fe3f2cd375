import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { printList, type View, withOutputOptions } from '../cli/output.js';
import { collect, examples } from '../cli/parse.js';
import { ExitCode, UsageError } from '../errors.js';
import { getPipeline, listPipelines } from '../pipelines/service.js';
import { type LintCode, type LintFinding, lintCodes } from './lint.js';
import { lintPipeline } from './lint-source.js';

const lintView: View = {
  fields: ['code', 'severity', 'pipeline', 'stage', 'ruleId', 'triggerId', 'message'],
  columns: ['pipeline', 'stage', 'ruleId', 'triggerId', 'code', 'message'],
  cells: {
    pipeline: (value) => (value as LintFinding['pipeline']).name,
    stage: (value) => (value as LintFinding['stage']).name,
  },
};

function lintCodeOf(text: string): LintCode {
  const code = lintCodes.find((c) => c === text.trim());
  if (!code) {
    throw new UsageError(`--ignore: no check "${text}"; the checks are ${lintCodes.join(', ')}`);
  }
  return code;
}

/**
 * `crmctl rule lint`: what can be seen wrong in the automation without running it (see
 * src/automation/lint.ts for the checks). Exit 0 when clean, 3 with warnings.
 */
export function ruleLintCommand(rule: CommandUnknownOpts, ctx: Context): void {
  withOutputOptions(
    rule
      .command('lint')
      .description(
        'Check the automation without running it: stages that move items to each other (loops),\n' +
          'triggers watching what their own stage’s rules change, rules timed on a custom date field\n' +
          'an item may not have, rules on stages no trigger or change-stage rule reaches (they run\n' +
          'only when a person moves an item there), --after-previous rules below one that always\n' +
          'takes the item away, and template or condition fields no item has.\n' +
          'Exit 0 when clean, 3 with warnings',
      )
      .option(
        '--pipeline <pipeline>',
        'only this pipeline, by name or id (default: every pipeline)',
      )
      .option(
        '--type <type>',
        'only pipelines of this entity type (and to find --pipeline by name)',
      )
      .option(
        '--ignore <check>',
        `leave a check out (repeatable): ${lintCodes.join(', ')}`,
        collect,
      ),
    lintView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl rule lint',
        'crmctl rule lint --pipeline "Furniture store" --json',
        'crmctl rule lint --ignore unreached-stage || echo "automation needs a look"',
      ),
    )
    .action(async (options) => {
      const ignore = (options.ignore ?? []).map(lintCodeOf);
      const session = ctx.session();
      const pipelines =
        options.pipeline !== undefined
          ? [getPipeline(session, options.pipeline, options.type)]
          : listPipelines(session, options.type);
      const fieldsOfType = new Map<string, string[]>();
      const findings = pipelines.flatMap((pipeline) =>
        lintPipeline(session, pipeline, ignore, fieldsOfType),
      );
      await printList(ctx, findings, options, lintView);
      const checked = `${pipelines.length} pipeline${pipelines.length === 1 ? '' : 's'} checked`;
      if (findings.length > 0) {
        ctx.exitCode = ExitCode.someRejected;
        ctx.note(`${findings.length} warning${findings.length === 1 ? '' : 's'}, ${checked}`);
      } else {
        ctx.note(`No warnings, ${checked}`);
      }
    });
}
