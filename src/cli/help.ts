import type { Command } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import type { CommandModule } from './registry.js';

const topics: Record<string, { summary: string; text: string }> = {
  'exit-codes': {
    summary: 'what each exit status means',
    text: `Exit codes (stable; scripts may branch on them):

  0    success; for \`check\` commands: the value is listed
  1    \`check\` commands only: the value is not listed (like grep); no error ever exits 1
  2    usage error: unknown command or option, missing or malformed value
  3    done, but some input was rejected (an import with rejected lines)
  4    not found: the item, user, stage, file … does not exist
  5    conflict or refused: the change would break a rule, or a confirmation was declined
  6    permission denied: unknown user, or the user's role lacks the permission named
  7    the input cannot be used at all (binary file, damaged store, --strict with rejects)
  70   internal error: a bug in crmctl (CRMCTL_DEBUG=1 shows the stack)
  74   could not write output (disk full, permission); the message says whether the change was committed
  75   the store is busy: another crmctl held the write lock longer than --wait; retry later
  130  interrupted (Ctrl-C): the change in progress was rolled back
  143  terminated (SIGTERM): the change in progress was rolled back
`,
  },
  formatting: {
    summary: 'output formats, fields, long lists, colours, control characters',
    text: `Output of list and show commands:

  -o table   (default) a bordered table on a terminal; piped, plain tab-separated rows
             without a header, never truncated. Asked for (-o table), a table even
             when piped
  -o json    one JSON document: an array for lists, an object for show commands
  --json     short for -o json (with another -o it is a usage error)
  -o jsonl   one JSON object per line
  -o csv     RFC 4180 with a header row; cells that start with = + - @ or a tab get a
             leading ' so spreadsheets do not run them as formulas (imports undo it)
  -o tsv     tab-separated with a header row; tabs, newlines and backslashes escaped as
             \\t, \\n and \\\\
  --fields a,b   choose and order the fields (JSON keys); each command's help lists them;
             an unknown field is a usage error that lists the available ones

Lists stream from the store as they are written, in every format: memory stays the same
however long the list. On a terminal, a list without --limit shows its first 100 rows
and says on stderr how many there are (use --limit N, or pipe the output to get all);
piped or redirected, every row.

Tables fit the terminal: cells wrap, never cut; ids, numbers and times keep their whole
width; headers read as words (Created at for createdAt). Too narrow for that, each row
is printed as a block of "Label  value" lines.

Control characters: stored text (names, titles, comments, subjects, field values) can
hold escape sequences that a terminal would obey. On a terminal every format shows them
as escapes instead: \\n, \\r, \\t, \\x1b for other controls up to U+00FF (DEL and
U+0080-U+009F included), \\u202e for line separators and bidi controls (U+2028, U+2029,
U+202A-U+202E, U+2066-U+2069); JSON writes them as \\u001b (still valid JSON, the same
data). Piped or redirected, csv, tsv, json and jsonl are the exact data. Error messages
always show them escaped.

Times are ISO-8601 UTC (2026-11-23T09:30:00.000Z); ids are integers; JSON keys are
camelCase and are only ever added, never renamed or removed.
Data goes to stdout; notes, warnings and progress to stderr. Under -o json a command's
summary is JSON on stdout, and an error is {"error":{"code","message","exitCode"}} on stderr.

Colour: off with --no-color or a non-empty NO_COLOR, forced with FORCE_COLOR, otherwise
only when the stream is a terminal and TERM is not dumb; prompts follow the same rule for
stderr. Progress bars only when stderr is a terminal.
`,
  },
  environment: {
    summary: 'environment variables crmctl reads',
    text: `Environment variables:

  CRMCTL_DB        store file (same as --db); default $XDG_DATA_HOME/crmctl/crm.db,
                   i.e. ~/.local/share/crmctl/crm.db
  XDG_DATA_HOME    where the default store lives
  CRMCTL_USER      act as this user (same as --as); default the OS login. Empty means
                   not set; \`--as ""\` is a usage error. No command line can act as
                   "system", the automation's own actor (exit 6)
  CRMCTL_NOW       read the clock as this ISO-8601 time in the years 1970-9999 (same as
                   --now): simulations. Empty means not set
  CRMCTL_WAIT      seconds (0 to 86400) to wait for another writer before exit 75 (same as
                   --wait; default 60). On a terminal, a wait of over a second is said on stderr
  CRMCTL_NO_INPUT  never prompt (same as --no-input); commands that would ask need --yes
  CRMCTL_DEBUG     1: print the stack of internal errors
  NO_COLOR         non-empty: no colours (same as --no-color, prompts included)
  FORCE_COLOR      colours even when not a terminal (0 or false: never)
  TERM             dumb: no colours
`,
  },
};

export const commands: CommandModule['commands'] = {
  help(program: Command) {
    program
      .command('help')
      .description('Show help for a command or a topic (exit-codes, formatting, environment)')
      .argument('[words...]', 'a command (e.g. item move) or a topic')
      .addHelpText(
        'after',
        `
Topics:
${Object.entries(topics)
  .map(([name, topic]) => `  ${name.padEnd(12)} ${topic.summary}`)
  .join('\n')}

Examples:
  $ crmctl help exit-codes
  $ crmctl help item move`,
      )
      .action((words: string[]) => {
        const [first] = words;
        if (first === undefined) {
          program.outputHelp();
          return;
        }
        const topic = Object.hasOwn(topics, first) ? topics[first] : undefined;
        if (topic && words.length === 1) {
          program.configureOutput().writeOut?.(topic.text);
          return;
        }
        let target: Command | undefined = program;
        for (const word of words)
          target = target?.commands.find((c) => c.name() === word) as Command | undefined;
        if (!target) {
          throw new UsageError(
            `no command or help topic "${words.join(' ')}"; topics: ${Object.keys(topics).join(', ')}`,
          );
        }
        target.outputHelp();
      });
  },
};
